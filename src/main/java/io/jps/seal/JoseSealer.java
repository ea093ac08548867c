package io.jps.seal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import io.jps.keys.CryptoBackend;
import io.jps.keys.OwnKey;
import io.jps.keys.PeerKey;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The JOSE operations of sealing, with keys already chosen: sign, encrypt to a public key, encrypt under a
 * known content key. Used for our requests and, mirrored, by the sandbox for the provider's answers.
 */
public final class JoseSealer {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final CryptoBackend backend;

    public JoseSealer(CryptoBackend backend) {
        this.backend = backend;
    }

    /** Compact JWS of {@code payload}, with {@code kid} in the header when given. */
    public String sign(byte[] payload, JWSAlgorithm algorithm, String kid, OwnKey key) throws JOSEException {
        return sign(new JWSHeader.Builder(algorithm).keyID(kid).build(), payload, key);
    }

    /**
     * The compact JWS, assembled here rather than by {@code JWSObject} so that the payload is encoded by the
     * JDK's base64url encoder (Nimbus's portable one cost a tenth of a seal); the header keeps its own encoding.
     */
    public String sign(JWSHeader header, byte[] payload, OwnKey key) throws JOSEException {
        return sign(header, payload, key.signer());
    }

    /** The same with a signer that belongs to no keyset (the sandbox forges answers with a stranger's key). */
    public String sign(JWSHeader header, byte[] payload, JWSSigner signer) throws JOSEException {
        String signingInput = header.toBase64URL() + "." + BASE64URL.encodeToString(payload);
        Base64URL signature = signer.sign(header, signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + signature;
    }

    /** A compact JWE to the holder of {@code key}; when {@code keepContentKey}, the fresh content key is returned too. */
    public Encrypted encrypt(JWEHeader header, byte[] plaintext, PeerKey key, boolean keepContentKey) throws JOSEException {
        SecretKey contentKey = keepContentKey ? newContentKey(header) : null;
        JWEObject jwe = new JWEObject(header, new Payload(plaintext));
        jwe.encrypt(backend.encrypter(key.publicKey(), contentKey));
        return new Encrypted(jwe.serialize(), contentKey);
    }

    /** A compact JWE with {@code alg: dir}: encrypted under an already shared content key. */
    public String encryptDirect(JWEHeader header, byte[] plaintext, SecretKey contentKey) throws JOSEException {
        JWEObject jwe = new JWEObject(header, new Payload(plaintext));
        jwe.encrypt(backend.directEncrypter(contentKey));
        return jwe.serialize();
    }

    private static SecretKey newContentKey(JWEHeader header) {
        byte[] key = new byte[header.getEncryptionMethod().cekBitLength() / 8];
        RANDOM.nextBytes(key);
        return new SecretKeySpec(key, "AES");
    }

    /** A compact JWE and, when it was asked to be kept, its content key. */
    public record Encrypted(String compact, SecretKey contentKey) {
        @Override
        public String toString() {
            return "Encrypted[" + compact.length() + " chars, content key " + (contentKey == null ? "not kept" : "kept") + "]";
        }
    }
}
