package io.jps.keys;

import java.time.Duration;
import java.time.Instant;

/**
 * When one key of a keyset stops being valid: its JWK {@code exp} or its certificate's {@code notAfter}.
 *
 * @param role the key's role as its file names it ({@code merchant-private}, {@code provider-public})
 * @param kid  the key's id, or the file it came from when it has none
 */
public record KeyExpiry(KeysetId keyset, String role, String kid, Instant expiresAt) {

    /** Negative once expired. */
    public Duration timeLeft(Instant now) {
        return Duration.between(now, expiresAt);
    }
}
