package io.jps.open;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWSAlgorithm;
import io.jps.profile.AnswerOpening;
import io.jps.profile.RequestSeal;
import java.time.Duration;
import java.util.Set;

/**
 * What a token must be to be accepted: the allow-lists and the checks to make. Empty {@code keyAlgorithms}
 * means the token is a bare JWS; empty {@code signatureAlgorithms} means the decrypted content is the payload.
 */
public record OpeningPolicy(
        Set<JWEAlgorithm> keyAlgorithms,
        Set<EncryptionMethod> contentAlgorithms,
        Set<JWSAlgorithm> signatureAlgorithms,
        boolean honourExpiry,
        Duration maxAge) {

    public OpeningPolicy {
        keyAlgorithms = Set.copyOf(keyAlgorithms);
        contentAlgorithms = Set.copyOf(contentAlgorithms);
        signatureAlgorithms = Set.copyOf(signatureAlgorithms);
    }

    /** How we open a provider's answers. */
    public static OpeningPolicy forAnswers(AnswerOpening opening) {
        return new OpeningPolicy(opening.jweAlgorithms(), opening.encryptionMethods(), opening.jwsAlgorithms(),
                opening.honourExpiry(), opening.maxAge());
    }

    /** How a provider (the sandbox) opens our requests: exactly what the profile seals with. */
    public static OpeningPolicy forRequests(RequestSeal seal) {
        return new OpeningPolicy(
                seal.jweAlgorithm().map(Set::of).orElse(Set.of()),
                seal.encrypts() ? Set.of(seal.encryptionMethod()) : Set.of(),
                seal.jwsAlgorithm().map(Set::of).orElse(Set.of()),
                false, null);
    }

    public boolean decrypts() {
        return !keyAlgorithms.isEmpty();
    }

    public boolean verifies() {
        return !signatureAlgorithms.isEmpty();
    }
}
