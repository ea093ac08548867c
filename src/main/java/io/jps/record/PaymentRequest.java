package io.jps.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A plaintext payment request as it arrives on {@code payments.requests}. Only {@code requestId},
 * {@code provider} and {@code payload} are required; see {@link PaymentRequestParser} for the checks.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaymentRequest(
        String requestId,
        String provider,
        String account,
        String operation,
        String method,
        String path,
        String key,
        JsonNode payload) {

    public static final String DEFAULT_ACCOUNT = "default";

    /** The Kafka record key: records that must stay ordered (a payment and its refunds) share {@code key}. */
    public String recordKey() {
        return key != null && !key.isEmpty() ? key : requestId;
    }

    @Override
    public String toString() {
        // The payload is payment data: it stays out of logs and exception messages.
        return "PaymentRequest[requestId=" + requestId + ", provider=" + provider + ", account=" + account
                + ", operation=" + operation + ", method=" + method + ", path=" + path + "]";
    }
}
