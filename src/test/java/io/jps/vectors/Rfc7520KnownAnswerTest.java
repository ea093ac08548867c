package io.jps.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import io.jps.keys.CryptoBackend;
import io.jps.keys.Keyset;
import io.jps.keys.OwnKey;
import io.jps.open.Opened;
import io.jps.open.OpeningPolicy;
import io.jps.seal.JoseSealer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known answers from RFC 7520 (the JOSE cookbook). RS256 is deterministic, so our signing path must
 * reproduce the cookbook's signature exactly; the encryption examples are random on the sending side, so
 * there the known answer is that we open the cookbook's token to the cookbook's plaintext.
 */
class Rfc7520KnownAnswerTest {

    private static final JsonNode SIGNATURE_4_1 = Vectors.resource("rfc7520/4_1.rsa_v15_signature.json");
    private static final JsonNode ENCRYPTION_5_2 = Vectors.resource("rfc7520/5_2.key_encryption_using_rsa-oaep_with_aes-gcm.json");
    private static final JsonNode NESTING_6 = Vectors.resource("rfc7520/6.nesting_signatures_and_encryption.json");
    private static final String[] PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi"};

    @TempDir
    Path keys;

    static Stream<Arguments> backends() {
        return Stream.of(Arguments.of(Vectors.AUTO), Arguments.of(CryptoBackend.jdk()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void reproducesTheSection41Rs256SignatureByteForByte(CryptoBackend backend) throws Exception {
        // Given the cookbook's RSA key (3_4, the one 4.1 signs with) as a JWK Set in a keyset directory
        OwnKey key = bilboSigningKey(backend);

        // When our sealer signs the cookbook payload under the cookbook's exact protected header
        String compact = sign(backend, key);

        // Then every byte of the compact JWS, signature included, is the cookbook's
        assertThat(compact).isEqualTo(SIGNATURE_4_1.at("/output/compact").asText());
        assertThat(compact.substring(compact.lastIndexOf('.') + 1)).isEqualTo(SIGNATURE_4_1.at("/signing/sig").asText());
    }

    @Test
    void accpAndTheJdkSignTheSection41PayloadIdentically() throws Exception {
        assumeTrue(Vectors.AUTO.isAccp(), "ACCP does not load on this platform, so auto is the JDK: nothing to compare");

        // Given the same JWK loaded once through each backend, so each key object is native to its provider
        String accp = sign(Vectors.AUTO, bilboSigningKey(Vectors.AUTO));
        String jdk = sign(CryptoBackend.jdk(), bilboSigningKey(CryptoBackend.jdk()));

        // Then the provider is an implementation detail: the wire bytes do not change with it
        assertThat(accp).isEqualTo(jdk);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void opensTheSection52RsaOaepA256GcmTokenToTheCookbookPlaintext(CryptoBackend backend) throws Exception {
        // Given samwise's 4096-bit key (use: enc, kid as in the token's header) as our private key
        Keyset keyset = Vectors.keyset(keys.resolve(backend.isAccp() ? "accp" : "jdk"), backend, "rfc7520-5.2",
                ENCRYPTION_5_2.at("/input/key"));
        OpeningPolicy rsaOaepOnly = new OpeningPolicy(Set.of(JWEAlgorithm.RSA_OAEP), Set.of(EncryptionMethod.A256GCM),
                Set.of(), false, null);

        // When the cookbook's compact JWE is opened
        Opened opened = Vectors.opener(backend).open(ENCRYPTION_5_2.at("/output/compact").asText(), rsaOaepOnly, keyset, null, Instant.now());

        // Then it yields the cookbook's plaintext, and no signer (none was asked for)
        assertThat(new String(opened.plaintext(), StandardCharsets.UTF_8))
                .isEqualTo(ENCRYPTION_5_2.at("/input/plaintext").asText());
        assertThat(opened.verifiedKid()).isNull();
    }

    @Test
    void opensTheSection6NestedSignatureInsideEncryption() throws Exception {
        // Section 6 is the Juspay shape (a JWS inside a JWE with cty JWT), with PS256 and A128GCM.
        // Given samwise's private key for decryption and hobbiton's public key (peer) for verification
        JsonNode signingKey = NESTING_6.at("/sign/input/key");
        Keyset keyset = Vectors.keyset(keys, Vectors.AUTO, "rfc7520-6", NESTING_6.at("/encrypt/input/key"),
                Vectors.without(signingKey, PRIVATE_MEMBERS));
        OpeningPolicy nested = new OpeningPolicy(Set.of(JWEAlgorithm.RSA_OAEP), Set.of(EncryptionMethod.A128GCM),
                Set.of(JWSAlgorithm.PS256), false, null);

        // When the cookbook's nested token is opened
        Opened opened = Vectors.opener(Vectors.AUTO).open(NESTING_6.at("/encrypt/output/compact").asText(), nested, keyset, null, Instant.now());

        // Then the inner JWS verified with hobbiton's key, and its payload is the cookbook's claims
        assertThat(new String(opened.plaintext(), StandardCharsets.UTF_8)).isEqualTo(NESTING_6.at("/sign/input/payload").asText());
        assertThat(opened.verifiedKid()).isEqualTo(signingKey.get("kid").asText());
    }

    private OwnKey bilboSigningKey(CryptoBackend backend) {
        Keyset keyset = Vectors.keyset(keys.resolve(backend.isAccp() ? "accp" : "jdk"), backend, "rfc7520-3.4",
                Vectors.resource("rfc7520/3_4.rsa_private_key.json"));
        return keyset.signingKey(null, Instant.now()).orElseThrow(() -> new AssertionError("3_4 (use: sig) is not a signing key"));
    }

    private static String sign(CryptoBackend backend, OwnKey key) throws Exception {
        // parse(Base64URL) keeps the cookbook's own header encoding; a rebuilt header could order members differently
        JWSHeader header = JWSHeader.parse(new Base64URL(SIGNATURE_4_1.at("/signing/protected_b64u").asText()));
        byte[] payload = SIGNATURE_4_1.at("/input/payload").asText().getBytes(StandardCharsets.UTF_8);
        return new JoseSealer(backend).sign(header, payload, key);
    }
}
