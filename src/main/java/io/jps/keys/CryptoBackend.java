package io.jps.keys;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.impl.RSA_OAEP;
import com.nimbusds.jose.crypto.impl.RSA_OAEP_SHA2;
import com.nimbusds.jose.crypto.opts.CipherMode;
import io.jps.config.ConfigException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JCA provider that does the RSA and AES work, and the factory of every key object and Nimbus
 * signer, verifier, encrypter and decrypter, so that all of them agree on it. With ACCP, key objects must
 * be ACCP's own (made by its KeyFactory) or most of its speed is lost; that is why keys are never built
 * anywhere else. The output is the same JOSE whichever provider runs.
 */
public final class CryptoBackend {

    private static final Logger LOG = LoggerFactory.getLogger(CryptoBackend.class);

    private final String description;
    private final Provider provider;

    private CryptoBackend(String description, Provider provider) {
        this.description = description;
        this.provider = provider;
    }

    /** {@code auto}: ACCP where its native library loads, else the JDK; {@code accp} or {@code jdk} force one. */
    public static CryptoBackend select(String mode) {
        return switch (mode) {
            case "jdk" -> jdk();
            case "accp" -> accp().orElseThrowConfig();
            case "auto" -> {
                Attempt attempt = accp();
                if (attempt.backend != null) {
                    yield attempt.backend;
                }
                LOG.info("Amazon Corretto Crypto Provider unavailable ({}); using the JDK's providers", attempt.reason);
                yield jdk();
            }
            default -> throw new ConfigException("configuration key crypto.provider: '" + mode
                    + "' is not one of auto, accp, jdk");
        };
    }

    public static CryptoBackend jdk() {
        return new CryptoBackend("JDK", null);
    }

    private static Attempt accp() {
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable loadingError = accp.getLoadingError();
            if (loadingError != null) {
                return new Attempt(null, String.valueOf(loadingError.getMessage()));
            }
            accp.assertHealthy();
            return new Attempt(new CryptoBackend("ACCP " + accp.getVersionStr(), new AccpWithOaepAliases(accp)), null);
        } catch (LinkageError | RuntimeException | GeneralSecurityException e) {
            return new Attempt(null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private record Attempt(CryptoBackend backend, String reason) {
        CryptoBackend orElseThrowConfig() {
            if (backend == null) {
                throw new ConfigException("configuration key crypto.provider: accp was asked for but cannot load ("
                        + reason + ")");
            }
            return backend;
        }
    }

    public String description() {
        return description;
    }

    public boolean isAccp() {
        return provider != null;
    }

    public RSAPrivateKey rsaPrivateKey(byte[] pkcs8) throws GeneralSecurityException {
        return (RSAPrivateKey) rsaKeyFactory().generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    public RSAPublicKey rsaPublicKey(byte[] subjectPublicKeyInfo) throws GeneralSecurityException {
        return (RSAPublicKey) rsaKeyFactory().generatePublic(new X509EncodedKeySpec(subjectPublicKeyInfo));
    }

    /** A fresh RSA key pair made by this backend (so its keys are native to it). */
    public KeyPair generateRsaKeyPair(int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = provider == null
                ? KeyPairGenerator.getInstance("RSA") : KeyPairGenerator.getInstance("RSA", provider);
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    /** HMAC-SHA256 under {@code key}, made by this backend (ACCP's is native, several times the JDK's speed). */
    public Mac hmacSha256(Key key) throws GeneralSecurityException {
        Mac mac = provider == null ? Mac.getInstance("HmacSHA256") : Mac.getInstance("HmacSHA256", provider);
        mac.init(key);
        return mac;
    }

    public MessageDigest sha256() throws GeneralSecurityException {
        return provider == null ? MessageDigest.getInstance("SHA-256") : MessageDigest.getInstance("SHA-256", provider);
    }

    private KeyFactory rsaKeyFactory() throws GeneralSecurityException {
        return provider == null ? KeyFactory.getInstance("RSA") : KeyFactory.getInstance("RSA", provider);
    }

    public RSASSASigner signer(PrivateKey key) {
        RSASSASigner signer = new RSASSASigner(key);
        signer.getJCAContext().setProvider(provider);
        return signer;
    }

    public RSASSAVerifier verifier(RSAPublicKey key) {
        RSASSAVerifier verifier = new RSASSAVerifier(key);
        verifier.getJCAContext().setProvider(provider);
        return verifier;
    }

    /** An encrypter for one message; with a given content key when that key must be kept (Wise's dir answers). */
    public RSAEncrypter encrypter(RSAPublicKey key, SecretKey contentKey) {
        RSAEncrypter encrypter = new GcmRsaEncrypter(key, contentKey);
        encrypter.getJCAContext().setKeyEncryptionProvider(provider);
        encrypter.getJCAContext().setContentEncryptionProvider(provider);
        return encrypter;
    }

    public RSADecrypter decrypter(PrivateKey key) {
        RSADecrypter decrypter = new RSADecrypter(key);
        decrypter.getJCAContext().setKeyEncryptionProvider(provider);
        decrypter.getJCAContext().setContentEncryptionProvider(provider);
        return decrypter;
    }

    /**
     * The content key inside a JWE's encrypted key, for the one party that needs it in hand: the sandbox,
     * which answers Wise-style {@code alg: dir} under the request's own key.
     */
    public SecretKey decryptContentKey(OwnKey key, JWEAlgorithm algorithm, byte[] encryptedKey) throws JOSEException {
        PrivateKey privateKey = key.decrypter().getPrivateKey();
        if (JWEAlgorithm.RSA_OAEP.equals(algorithm)) {
            return RSA_OAEP.decryptCEK(privateKey, encryptedKey, CipherMode.ENCRYPT_DECRYPT, provider);
        }
        if (JWEAlgorithm.RSA_OAEP_256.equals(algorithm)) {
            return RSA_OAEP_SHA2.decryptCEK(privateKey, encryptedKey, 256, CipherMode.ENCRYPT_DECRYPT, provider);
        }
        throw new JOSEException("no content key recovery for " + algorithm);
    }

    public DirectDecrypter directDecrypter(SecretKey contentKey) throws JOSEException {
        DirectDecrypter decrypter = new DirectDecrypter(contentKey);
        decrypter.getJCAContext().setContentEncryptionProvider(provider);
        return decrypter;
    }

    public DirectEncrypter directEncrypter(SecretKey contentKey) throws JOSEException {
        DirectEncrypter encrypter = new DirectEncrypter(contentKey);
        encrypter.getJCAContext().setContentEncryptionProvider(provider);
        return encrypter;
    }

    @Override
    public String toString() {
        return description;
    }
}
