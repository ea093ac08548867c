package io.jps.open;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import io.jps.keys.CryptoBackend;
import io.jps.keys.KeySelection;
import io.jps.keys.KeySelector;
import io.jps.keys.Keyset;
import io.jps.keys.OwnKey;
import io.jps.keys.PeerKey;
import io.jps.profile.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * Opens a compact JOSE token under an {@link OpeningPolicy}, with keys from one keyset only. It orchestrates:
 * {@link CompactToken} checks the shape, {@link HeaderPolicy} the protected header (before any cryptography,
 * so each refusal has a precise reason), {@link KeySelector} says which keys may be tried, the backend's
 * decrypters and verifiers do the cryptography, and {@link TimeClaimsVerifier} judges the times.
 */
public final class JoseOpener {

    private final CryptoBackend backend;
    private final TimeClaimsVerifier times;

    public JoseOpener(CryptoBackend backend, Duration clockSkew) {
        this.backend = backend;
        this.times = new TimeClaimsVerifier(clockSkew);
    }

    /**
     * @param directKey the content key for {@code alg: dir} tokens, or null when there is none
     * @param at        the time keys must be valid at and times are judged against: for an answer, when it was received
     */
    public Opened open(String token, OpeningPolicy policy, Keyset keys, DirectKey directKey, Instant at) throws OpenFailure {
        if (!policy.decrypts()) {
            return verify(token, policy, keys, at, false);
        }
        CompactToken jwe = CompactToken.parse(token, 5, "JWE", OpenPhase.DECRYPTION, ReasonCode.MALFORMED);
        String alg = HeaderPolicy.requiredText(jwe.header(), "alg", OpenPhase.DECRYPTION);
        String enc = HeaderPolicy.requiredText(jwe.header(), "enc", OpenPhase.DECRYPTION);
        HeaderPolicy.requireAllowed(OpenPhase.DECRYPTION, "JWE alg", alg, policy.keyAlgorithms(), false);
        HeaderPolicy.requireAllowed(OpenPhase.DECRYPTION, "JWE enc", enc, policy.contentAlgorithms(), false);
        HeaderPolicy.refuseUnsupported(jwe.header(), OpenPhase.DECRYPTION);
        byte[] content = decrypt(jwe, alg, keys, directKey, at);

        Opened opened = policy.verifies()
                ? verify(new String(content, StandardCharsets.US_ASCII), policy, keys, at, true)
                : new Opened(content, null);
        if (policy.honourExpiry()) {
            times.verify(jwe.header(), policy.maxAge(), at);
        }
        return opened;
    }

    private byte[] decrypt(CompactToken jwe, String alg, Keyset keys, DirectKey directKey, Instant at) throws OpenFailure {
        JWEHeader header;
        try {
            header = JWEHeader.parse(new JdkBase64Url(jwe.part(0)));
        } catch (ParseException e) {
            throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.MALFORMED, "protected header is not a JWE header");
        }
        if (JWEAlgorithm.DIR.getName().equals(alg)) {
            SecretKey contentKey = directKey == null ? null : directKey.get();
            if (contentKey == null) {
                throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.DECRYPT_FAILED, "alg dir answer, but the request's "
                        + "content key is not available (none was kept for it, or keyset " + keys.id() + " has no cek-wrap.key)");
            }
            try {
                return decryptWith(header, jwe, backend.directDecrypter(contentKey));
            } catch (JOSEException e) {
                throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.DECRYPT_FAILED,
                        "alg dir answer does not decrypt under the request's content key");
            }
        }
        String kid = jwe.header().hasNonNull("kid") ? jwe.header().get("kid").asText() : null;
        List<OwnKey> candidates = keysOrRefuse(KeySelector.toDecrypt(keys, kid, JWEAlgorithm.parse(alg), at, kid),
                OpenPhase.DECRYPTION);
        for (OwnKey candidate : candidates) {
            try {
                return decryptWith(header, jwe, candidate.decrypter());
            } catch (JOSEException e) {
                // try the next key of the keyset (rotation); the failure is reported once, below
            }
        }
        throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.DECRYPT_FAILED, "no private key of " + keys.id()
                + " decrypts it (" + candidates.size() + " tried): wrong recipient, or tampered key, iv, ciphertext, tag or header");
    }

    private static <K> List<K> keysOrRefuse(KeySelection<K> selection, OpenPhase phase) throws OpenFailure {
        if (selection instanceof KeySelection.Candidates<K> found) {
            return found.keys();
        }
        KeySelection.None<K> none = (KeySelection.None<K>) selection;
        throw new OpenFailure(phase, none.reason(), none.message());
    }

    /** RFC 7516 5.2 for the compact form: the additional authenticated data is the encoded protected header. */
    private static byte[] decryptWith(JWEHeader header, CompactToken jwe, JWEDecrypter decrypter) throws JOSEException {
        return decrypter.decrypt(header, optionalPart(jwe.part(1)), optionalPart(jwe.part(2)), new JdkBase64Url(jwe.part(3)),
                optionalPart(jwe.part(4)), jwe.part(0).getBytes(StandardCharsets.US_ASCII));
    }

    private static Base64URL optionalPart(String part) {
        return part.isEmpty() ? null : new JdkBase64Url(part);
    }

    /**
     * @param decrypted the JWS came out of a decryption: until it verifies it is unverified content, so its
     *                  header values are not echoed into messages (they end up in dead-letter headers)
     */
    private Opened verify(String token, OpeningPolicy policy, Keyset keys, Instant at, boolean decrypted) throws OpenFailure {
        OpenPhase phase = OpenPhase.SIGNATURE;
        CompactToken jws = CompactToken.parse(token, 3, "JWS", phase, ReasonCode.MISSING_SIGNATURE);
        String alg = HeaderPolicy.requiredText(jws.header(), "alg", phase);
        HeaderPolicy.requireAllowed(phase, "JWS alg", alg, policy.signatureAlgorithms(), decrypted);
        HeaderPolicy.refuseUnsupported(jws.header(), phase);
        JWSHeader header;
        try {
            header = JWSHeader.parse(new JdkBase64Url(jws.part(0)));
        } catch (ParseException e) {
            throw new OpenFailure(phase, ReasonCode.MISSING_SIGNATURE, "protected header is not a JWS header");
        }
        if (jws.part(2).isEmpty()) {
            throw new OpenFailure(phase, ReasonCode.MISSING_SIGNATURE, "the JWS has an empty signature");
        }
        byte[] signingInput = (jws.part(0) + '.' + jws.part(1)).getBytes(StandardCharsets.US_ASCII);
        Base64URL signature = new JdkBase64Url(jws.part(2));
        String kid = header.getKeyID();
        List<PeerKey> candidates = keysOrRefuse(KeySelector.toVerify(keys, kid, JWSAlgorithm.parse(alg), at,
                decrypted ? HeaderPolicy.WITHHELD : kid, "verify " + (decrypted ? "it" : alg)), phase);
        for (PeerKey candidate : candidates) {
            try {
                if (candidate.verifier().verify(header, signingInput, signature)) {
                    String verifiedKid = candidate.kid() != null ? candidate.kid() : candidate.info().source();
                    return new Opened(new JdkBase64Url(jws.part(1)).decode(), verifiedKid);
                }
            } catch (JOSEException e) {
                // an unusable signature for this key is the same as a wrong one: try the next key
            }
        }
        throw new OpenFailure(phase, ReasonCode.BAD_SIGNATURE, "the signature does not verify with any public key of "
                + keys.id() + " (" + candidates.size() + " tried)");
    }
}
