package io.jps.record;

import com.fasterxml.jackson.annotation.JsonValue;
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
        Verification verification,
        int attempts,
        Long sealedAt,
        Long dispatchedAt,
        Long respondedAt,
        long openedAt) {

    public enum Outcome { SUCCEEDED, PROVIDER_ERROR }

    /** How the payload was authenticated: never leave a reader guessing whether JOSE checked it. */
    public enum Verification {
        /** A signature, or an authenticated decryption, was checked. */
        JOSE,
        /** The provider answers in plain JSON by design: trusted through the attested HTTPS exchange only. */
        TLS;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public String toString() {
        return "PaymentResult[requestId=" + requestId + ", provider=" + provider + ", account=" + account
                + ", outcome=" + outcome + ", httpStatus=" + httpStatus + ", verifiedKid=" + verifiedKid
                + ", verification=" + verification + "]";
    }
}
