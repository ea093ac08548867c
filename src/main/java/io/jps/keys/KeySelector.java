package io.jps.keys;

import com.nimbusds.jose.Algorithm;
import io.jps.profile.Printable;
import io.jps.profile.ReasonCode;
import java.time.Instant;
import java.util.List;

/**
 * Which keys of one keyset may open a token: the policy, apart from the cryptography (as Nimbus keeps
 * {@code JWEDecryptionKeySelector} apart from its decrypters). Only the keyset of the provider and account the
 * request went to is ever asked. When no key qualifies it says why: none valid at all, a {@code kid} naming a
 * key whose declared use forbids this, or a {@code kid} naming no key here.
 */
public final class KeySelector {

    private KeySelector() {
    }

    /**
     * @param kidShown how the token's kid may appear in a refusal: a kid read from decrypted but unverified
     *                 content must not be echoed, so the caller passes a placeholder instead
     */
    public static KeySelection<OwnKey> toDecrypt(Keyset keys, String kid, Algorithm algorithm, Instant at, String kidShown) {
        List<OwnKey> candidates = keys.decryptionCandidates(kid, algorithm, at);
        if (!candidates.isEmpty()) {
            return new KeySelection.Candidates<>(candidates);
        }
        return none(keys, kid, kid != null && keys.hasOwnKid(kid), kidShown, "decrypt " + algorithm.getName());
    }

    /** @param operation what the key would do, as a refusal says it ("verify RS256", or "verify it" to withhold the alg) */
    public static KeySelection<PeerKey> toVerify(Keyset keys, String kid, Algorithm algorithm, Instant at, String kidShown,
                                                 String operation) {
        List<PeerKey> candidates = keys.verificationCandidates(kid, algorithm, at);
        if (!candidates.isEmpty()) {
            return new KeySelection.Candidates<>(candidates);
        }
        return none(keys, kid, kid != null && keys.hasPeerKid(kid), kidShown, operation);
    }

    private static <K> KeySelection<K> none(Keyset keys, String kid, boolean kidNamesAKeyHere, String kidShown, String operation) {
        if (kid == null) {
            return new KeySelection.None<>(ReasonCode.NO_KEY, "keyset " + keys.id() + " has no valid key to " + operation);
        }
        String shown = "'" + Printable.of(kidShown) + "'";
        if (kidNamesAKeyHere) {
            return new KeySelection.None<>(ReasonCode.ALG_NOT_ALLOWED, "key " + shown + " of " + keys.id() + " may not "
                    + operation + " (its use, key_ops, alg or validity forbid it)");
        }
        return new KeySelection.None<>(ReasonCode.UNKNOWN_KID, "kid " + shown + " names no key of " + keys.id()
                + " that could " + operation);
    }
}
