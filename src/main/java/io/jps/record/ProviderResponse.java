package io.jps.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** What the provider answered, as received: status, headers and the still-sealed body. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProviderResponse(
        String requestId,
        String provider,
        String account,
        int httpStatus,
        Map<String, String> headers,
        String body,
        int attempts,
        long dispatchedAt,
        long respondedAt) {

    public ProviderResponse {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "ProviderResponse[requestId=" + requestId + ", provider=" + provider + ", account=" + account
                + ", httpStatus=" + httpStatus + ", bodyChars=" + (body == null ? 0 : body.length()) + "]";
    }
}
