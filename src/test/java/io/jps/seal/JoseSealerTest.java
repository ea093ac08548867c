package io.jps.seal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.crypto.impl.AESGCM;
import io.jps.engine.Engine;
import io.jps.keys.KeyRing;
import io.jps.keys.Keyset;
import io.jps.keys.KeysetLayout;
import io.jps.keys.KeysetLoader;
import io.jps.keys.KeysetLookup;
import io.jps.support.Engines;
import io.jps.support.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The compact forms JoseSealer assembles itself are exactly what Nimbus's own objects make and read. */
class JoseSealerTest {

    private static final byte[] PAYLOAD = "{\"amount\":\"10.00\",\"note\":\"é\"}".getBytes(StandardCharsets.UTF_8);
    private static final Engine ENGINE = Engines.engine();
    private static final JoseSealer SEALER = new JoseSealer(ENGINE.backend());
    private static final Keyset OURS = keyset(ENGINE.keyRing());
    private static final Keyset THEIRS = keyset(new KeyRing(TestKeys.sandboxKeys(),
            new KeysetLoader(ENGINE.backend(), KeysetLayout.SANDBOX, Map.of(), ENGINE.config().providers()), Duration.ofHours(1), ENGINE.clock()));

    @AfterAll
    static void close() {
        ENGINE.close();
    }

    @Test
    void aJwsHasNimbussHeaderEncodingAndVerifiesWithNimbus() throws Exception {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k-1").build();

        String compact = SEALER.sign(header, PAYLOAD, OURS.signingKey(JWSAlgorithm.RS256, Instant.now()).orElseThrow());

        JWSObject jws = JWSObject.parse(compact);
        assertThat(compact.split("\\.")[0]).isEqualTo(header.toBase64URL().toString());
        assertThat(jws.verify(THEIRS.verificationCandidates(null, JWSAlgorithm.RS256, Instant.now()).get(0).verifier())).isTrue();
        assertThat(jws.getPayload().toBytes()).isEqualTo(PAYLOAD);
    }

    @Test
    void aJweHasNimbussHeaderEncodingAndDecryptsWithNimbus() throws Exception {
        JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
                .contentType("JWT").keyID("k-1").customParam("url", "/v1/cases").build();

        JoseSealer.Encrypted encrypted = SEALER.encrypt(header, PAYLOAD,
                OURS.encryptionKey(JWEAlgorithm.RSA_OAEP_256, Instant.now()).orElseThrow(), true);

        String[] parts = encrypted.compact().split("\\.", -1);
        assertThat(parts).hasSize(5);
        assertThat(parts[0]).isEqualTo(header.toBase64URL().toString());
        JWEObject jwe = JWEObject.parse(encrypted.compact());
        RSADecrypter decrypter = THEIRS.decryptionCandidates(null, JWEAlgorithm.RSA_OAEP_256, Instant.now()).get(0).decrypter();
        jwe.decrypt(decrypter);
        assertThat(jwe.getPayload().toBytes()).isEqualTo(PAYLOAD);
        // and the kept content key is the one it is under
        assertThat(AESGCM.decrypt(encrypted.contentKey(), jwe.getIV().decode(), jwe.getCipherText().decode(),
                parts[0].getBytes(StandardCharsets.US_ASCII), jwe.getAuthTag().decode(), null)).isEqualTo(PAYLOAD);
    }

    @Test
    void aDirectJweHasAnEmptyKeyPartAndDecryptsWithNimbus() throws Exception {
        JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM).build();
        SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");

        String compact = SEALER.encryptDirect(header, PAYLOAD, key);

        String[] parts = compact.split("\\.", -1);
        assertThat(parts).hasSize(5);
        assertThat(parts[0]).isEqualTo(header.toBase64URL().toString());
        assertThat(parts[1]).isEmpty();
        JWEObject jwe = JWEObject.parse(compact);
        jwe.decrypt(new DirectDecrypter(key));
        assertThat(jwe.getPayload().toBytes()).isEqualTo(PAYLOAD);
    }

    private static Keyset keyset(KeyRing ring) {
        return ((KeysetLookup.Found) ring.lookup("juspay", "default")).keyset();
    }
}
