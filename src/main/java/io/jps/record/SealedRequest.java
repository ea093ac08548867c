package io.jps.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A ready-to-send HTTP request on {@code payments.sealed}: the body is already signed and/or encrypted,
 * the headers are non-secret ones only. Credentials are added by the dispatcher at send time.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SealedRequest(
        String requestId,
        String provider,
        String account,
        String method,
        String path,
        Map<String, String> headers,
        String body,
        long sealedAt) {

    public SealedRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "SealedRequest[requestId=" + requestId + ", provider=" + provider + ", account=" + account
                + ", method=" + method + ", path=" + path + ", bodyChars=" + (body == null ? 0 : body.length()) + "]";
    }
}
