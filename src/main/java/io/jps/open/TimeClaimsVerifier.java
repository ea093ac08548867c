package io.jps.open;

import com.fasterxml.jackson.databind.JsonNode;
import io.jps.profile.ReasonCode;
import java.time.Duration;
import java.time.Instant;

/**
 * Checks {@code exp}, {@code iat} and a maximum age (Juspay puts them in the JWE protected header) against a
 * reference time with a clock skew. For answers the reference is the attested moment the dispatcher received
 * the answer, not the moment it is opened: a backlog after an outage must not expire genuine answers.
 */
final class TimeClaimsVerifier {

    private final Duration clockSkew;

    TimeClaimsVerifier(Duration clockSkew) {
        this.clockSkew = clockSkew;
    }

    /** NumericDates compared as whole seconds with saturating sums: a forged extreme can neither overflow nor wrap. */
    void verify(JsonNode header, Duration maxAge, Instant reference) throws OpenFailure {
        Long exp = numericDate(header, "exp");
        Long iat = numericDate(header, "iat");
        long now = reference.getEpochSecond();
        long skew = clockSkew.getSeconds();
        if (exp != null && now > saturatedAdd(exp, skew)) {
            throw new OpenFailure(OpenPhase.SIGNATURE, ReasonCode.EXPIRED, "answer expired at exp=" + exp
                    + " (received at " + now + ")");
        }
        if (iat != null && iat > saturatedAdd(now, skew)) {
            throw new OpenFailure(OpenPhase.SIGNATURE, ReasonCode.EXPIRED, "answer issued after it was received, iat=" + iat
                    + " (received at " + now + ")");
        }
        if (iat != null && maxAge != null && now > saturatedAdd(saturatedAdd(iat, maxAge.getSeconds()), skew)) {
            throw new OpenFailure(OpenPhase.SIGNATURE, ReasonCode.EXPIRED, "answer issued at iat=" + iat + " was older than "
                    + maxAge + " when received at " + now);
        }
    }

    private static Long numericDate(JsonNode header, String name) throws OpenFailure {
        JsonNode value = header.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new OpenFailure(OpenPhase.SIGNATURE, ReasonCode.EXPIRED, "header " + name + " is not a NumericDate");
        }
        // Beyond 64-bit seconds only the sign matters (the end or the beginning of time); asLong() would wrap
        // a huge value around to one that looks fresh. RFC 7519 allows fractional seconds: they are floored.
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? value.asLong()
                    : value.bigIntegerValue().signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        double seconds = Math.floor(value.asDouble());
        return seconds >= Long.MAX_VALUE ? Long.MAX_VALUE : seconds <= Long.MIN_VALUE ? Long.MIN_VALUE : (long) seconds;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }
}
