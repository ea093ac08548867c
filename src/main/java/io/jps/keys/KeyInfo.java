package io.jps.keys;

import com.nimbusds.jose.jwk.KeyUse;
import java.time.Instant;

/**
 * What is known about one key besides the key itself: its id, what it may be used for, when it was made
 * and the window in which it is valid (from a JWK's {@code iat}, {@code nbf}, {@code exp}; a PEM key is
 * dated by its file and always valid), and the file it came from.
 */
public record KeyInfo(String kid, KeyUse use, Instant issuedAt, Instant notBefore, Instant expiresAt, String source) {

    public boolean validAt(Instant now) {
        return (notBefore == null || !now.isBefore(notBefore)) && (expiresAt == null || now.isBefore(expiresAt));
    }

    public boolean allows(KeyUse wanted) {
        return use == null || use.equals(wanted);
    }

    @Override
    public String toString() {
        return (kid == null ? "(no kid)" : kid) + " from " + source;
    }
}
