package io.jps.record;

import com.fasterxml.jackson.databind.JsonNode;

/** The verified answer to one request on {@code payments.results}; exactly one per {@code requestId}. */
public record PaymentResult(
        String requestId,
        String provider,
        String account,
        Outcome outcome,
        int httpStatus,
        JsonNode payload,
        String verifiedKid,
        Long sealedAt,
        Long dispatchedAt,
        long openedAt) {

    public enum Outcome { SUCCEEDED, PROVIDER_ERROR }

    @Override
    public String toString() {
        return "PaymentResult[requestId=" + requestId + ", provider=" + provider + ", account=" + account
                + ", outcome=" + outcome + ", httpStatus=" + httpStatus + ", verifiedKid=" + verifiedKid + "]";
    }
}
