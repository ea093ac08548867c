package io.jps.keys;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What is known about one key besides the key itself: its id, what it may be used for ({@code use},
 * {@code key_ops}, {@code alg} of a JWK), when it was made and the window in which it is valid ({@code iat},
 * {@code nbf}, {@code exp}; a PEM key is dated by its file and unrestricted), the {@code notAfter} of the
 * X.509 certificate it came in, and the file it came from.
 *
 * <p>A certificate's {@code notAfter} is reported ({@link #endOfLife()}) but does not make the key unusable:
 * the provider, not its certificate, decides when its key stops working, and a refusal at that instant would
 * stop every request at once. The warnings before it are what protects the keyset.
 */
public record KeyInfo(String kid, KeyUse use, Set<KeyOperation> operations, Algorithm algorithm, Instant issuedAt,
                      Instant notBefore, Instant expiresAt, Instant certificateNotAfter, String source) {

    /** What a key is being asked to do. */
    public enum Purpose {
        SIGN(KeyUse.SIGNATURE, Set.of(KeyOperation.SIGN)),
        VERIFY(KeyUse.SIGNATURE, Set.of(KeyOperation.VERIFY)),
        ENCRYPT(KeyUse.ENCRYPTION, Set.of(KeyOperation.ENCRYPT, KeyOperation.WRAP_KEY)),
        DECRYPT(KeyUse.ENCRYPTION, Set.of(KeyOperation.DECRYPT, KeyOperation.UNWRAP_KEY));

        private final KeyUse use;
        private final Set<KeyOperation> operations;

        Purpose(KeyUse use, Set<KeyOperation> operations) {
            this.use = use;
            this.operations = operations;
        }
    }

    public KeyInfo {
        operations = operations == null ? null : Set.copyOf(operations);
    }

    static KeyInfo ofPem(String kid, Instant issuedAt, Instant certificateNotAfter, String source) {
        return new KeyInfo(kid, null, null, null, issuedAt, null, null, certificateNotAfter, source);
    }

    /** The earliest of the key's {@code exp} and its certificate's {@code notAfter}, if it has either. */
    public Optional<Instant> endOfLife() {
        if (expiresAt == null || certificateNotAfter == null) {
            return Optional.ofNullable(expiresAt != null ? expiresAt : certificateNotAfter);
        }
        return Optional.of(expiresAt.isBefore(certificateNotAfter) ? expiresAt : certificateNotAfter);
    }

    /** The key's id, or the file it came from when it has none: how an operator finds it. */
    public String label() {
        return kid != null ? kid : source;
    }

    public boolean validAt(Instant now) {
        return (notBefore == null || !now.isBefore(notBefore)) && (expiresAt == null || now.isBefore(expiresAt));
    }

    /** Whether the key's declared use, operations and algorithm (where it declares them) allow this. */
    public boolean permits(Purpose purpose, Algorithm wanted) {
        return (use == null || use.equals(purpose.use))
                && (operations == null || operations.stream().anyMatch(purpose.operations::contains))
                && (algorithm == null || wanted == null || algorithm.getName().equals(wanted.getName()));
    }

    @Override
    public String toString() {
        return (kid == null ? "(no kid)" : kid) + " from " + source;
    }
}
