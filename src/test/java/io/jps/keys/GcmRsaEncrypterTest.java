package io.jps.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.KeyLengthException;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Our AES-GCM encrypter must be Nimbus's RSAEncrypter in everything but speed. */
class GcmRsaEncrypterTest {

    private static final CryptoBackend AUTO = CryptoBackend.select("auto");
    private static final CryptoBackend JDK = CryptoBackend.jdk();
    private static final KeyPair AUTO_KEYS = keys(AUTO);
    private static final KeyPair JDK_KEYS = keys(JDK);
    private static final byte[] PLAINTEXT = ("{\"amount\":\"10.00\",\"note\":\"" + "é".repeat(700) + "\"}")
            .getBytes(StandardCharsets.UTF_8);

    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        for (CryptoBackend backend : List.of(AUTO, JDK)) {
            for (JWEAlgorithm alg : List.of(JWEAlgorithm.RSA_OAEP_256, JWEAlgorithm.RSA_OAEP)) {
                for (EncryptionMethod enc : List.of(EncryptionMethod.A128GCM, EncryptionMethod.A192GCM,
                        EncryptionMethod.A256GCM, EncryptionMethod.A128CBC_HS256, EncryptionMethod.A256CBC_HS512)) {
                    all.add(Arguments.of(backend, alg, enc));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("combinations")
    void writesWhatNimbusWritesForTheSameContentKeyAndIv(CryptoBackend backend, JWEAlgorithm alg, EncryptionMethod enc)
            throws Exception {
        // Given the same header, content key and random source for our encrypter and Nimbus's own
        KeyPair pair = backend == JDK ? JDK_KEYS : AUTO_KEYS;
        JWEHeader header = new JWEHeader.Builder(alg, enc).contentType("JWT").keyID("k-1").build();
        SecretKey cek = new SecretKeySpec(counting(enc.cekBitLength() / 8), "AES");
        RSAEncrypter ours = backend.encrypter((RSAPublicKey) pair.getPublic(), cek);
        ours.getJCAContext().setSecureRandom(new FixedRandom());
        RSAEncrypter nimbus = new RSAEncrypter((RSAPublicKey) pair.getPublic(), cek);
        nimbus.getJCAContext().setSecureRandom(new FixedRandom());

        // When both encrypt the same plaintext
        String[] ourParts = encrypt(header, ours).split("\\.", -1);
        String[] nimbusParts = encrypt(header, nimbus).split("\\.", -1);

        // Then header, IV, ciphertext and tag are byte for byte Nimbus's (RSA-OAEP itself is randomised)
        assertThat(ourParts).hasSize(5);
        assertThat(List.of(ourParts[0], ourParts[2], ourParts[3], ourParts[4]))
                .isEqualTo(List.of(nimbusParts[0], nimbusParts[2], nimbusParts[3], nimbusParts[4]));
        // and both open with Nimbus's decrypter
        assertThat(decrypt(String.join(".", ourParts), backend, pair)).isEqualTo(PLAINTEXT);
        assertThat(decrypt(String.join(".", nimbusParts), backend, pair)).isEqualTo(PLAINTEXT);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("combinations")
    void aFreshContentKeyPerMessageOpensWithNimbus(CryptoBackend backend, JWEAlgorithm alg, EncryptionMethod enc)
            throws Exception {
        KeyPair pair = backend == JDK ? JDK_KEYS : AUTO_KEYS;
        RSAEncrypter ours = backend.encrypter((RSAPublicKey) pair.getPublic(), null);

        String first = encrypt(new JWEHeader(alg, enc), ours);
        String second = encrypt(new JWEHeader(alg, enc), ours);

        assertThat(decrypt(first, backend, pair)).isEqualTo(PLAINTEXT);
        assertThat(decrypt(second, backend, pair)).isEqualTo(PLAINTEXT);
        assertThat(first.split("\\.")[1]).isNotEqualTo(second.split("\\.")[1]);
        assertThat(first.split("\\.")[2]).isNotEqualTo(second.split("\\.")[2]);
    }

    @Test
    void refusesAGivenContentKeyOfTheWrongLengthAsNimbusDoes() {
        SecretKey aes128 = new SecretKeySpec(counting(16), "AES");
        JWEHeader a256gcm = new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM);

        assertThatThrownBy(() -> encrypt(a256gcm, AUTO.encrypter((RSAPublicKey) AUTO_KEYS.getPublic(), aes128)))
                .isInstanceOf(KeyLengthException.class)
                .hasMessage("The Content Encryption Key (CEK) length for A256GCM must be 256 bits");
        assertThatThrownBy(() -> encrypt(a256gcm, new RSAEncrypter((RSAPublicKey) AUTO_KEYS.getPublic(), aes128)))
                .isInstanceOf(KeyLengthException.class)
                .hasMessage("The Content Encryption Key (CEK) length for A256GCM must be 256 bits");
    }

    private static String encrypt(JWEHeader header, RSAEncrypter encrypter) throws Exception {
        JWEObject jwe = new JWEObject(header, new Payload(PLAINTEXT));
        jwe.encrypt(encrypter);
        return jwe.serialize();
    }

    private static byte[] decrypt(String compact, CryptoBackend backend, KeyPair pair) throws Exception {
        JWEObject jwe = JWEObject.parse(compact);
        RSADecrypter decrypter = backend.decrypter(pair.getPrivate());
        jwe.decrypt(decrypter);
        return jwe.getPayload().toBytes();
    }

    private static byte[] counting(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 7 + 1);
        }
        return bytes;
    }

    private static KeyPair keys(CryptoBackend backend) {
        try {
            return backend.generateRsaKeyPair(2048);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same bytes on every call: makes the IV (and a generated content key) reproducible. */
    private static final class FixedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;

        @Override
        public void nextBytes(byte[] bytes) {
            Arrays.fill(bytes, (byte) 0x5a);
        }
    }
}
