package io.jps.profile;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWSAlgorithm;
import java.util.Optional;

/**
 * How a provider wants its requests sealed: sign, then encrypt, then put on the wire.
 *
 * @param signature         JWS algorithm over the payload, or {@code none} to send it unsigned
 * @param signatureKid      whose key id goes into the JWS {@code kid}
 * @param encryption        JWE key-management algorithm (RSA-OAEP-256, RSA-OAEP), or {@code none}
 * @param contentEncryption JWE content encryption ({@code enc})
 * @param encryptionKid     whose key id goes into the JWE {@code kid}
 * @param contentType       JWE {@code cty} when a JWS is nested inside (Juspay: {@code JWT}); null for none
 * @param urlHeader         put the request path into the protected header as {@code url} (Wise)
 * @param wrapCek           remember the content key, wrapped under the keyset's cek-wrap.key, with the sent request, so that
 *                          an answer encrypted with {@code alg: dir} under the request's key can be opened (Wise)
 * @param wireForm          how the token travels in the body
 * @param envelopeField     the JSON field that carries the token when {@code wireForm} is {@code envelope}
 */
public record RequestSeal(
        String signature,
        KidSource signatureKid,
        String encryption,
        String contentEncryption,
        KidSource encryptionKid,
        String contentType,
        boolean urlHeader,
        boolean wrapCek,
        WireForm wireForm,
        String envelopeField) {

    public static final String NONE = "none";

    public RequestSeal {
        signature = signature == null ? NONE : signature;
        signatureKid = signatureKid == null ? KidSource.MERCHANT : signatureKid;
        encryption = encryption == null ? NONE : encryption;
        encryptionKid = encryptionKid == null ? KidSource.NONE : encryptionKid;
        wireForm = wireForm == null ? WireForm.JSON : wireForm;
    }

    public Optional<JWSAlgorithm> jwsAlgorithm() {
        return NONE.equals(signature) ? Optional.empty() : Optional.of(JWSAlgorithm.parse(signature));
    }

    public Optional<JWEAlgorithm> jweAlgorithm() {
        return NONE.equals(encryption) ? Optional.empty() : Optional.of(JWEAlgorithm.parse(encryption));
    }

    public EncryptionMethod encryptionMethod() {
        return EncryptionMethod.parse(contentEncryption);
    }

    public boolean signs() {
        return !NONE.equals(signature);
    }

    public boolean encrypts() {
        return !NONE.equals(encryption);
    }
}
