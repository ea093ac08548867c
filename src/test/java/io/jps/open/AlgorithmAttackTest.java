package io.jps.open;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.CompressionAlgorithm;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.MACSigner;
import io.jps.keys.PeerKey;
import io.jps.profile.ReasonCode;
import io.jps.record.ProviderResponse;
import io.jps.support.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Answers whose own headers pick a weaker, different or no algorithm, or ask for processing we do not do
 * ({@code crit}, {@code zip}). The allow-list is the profile's, read from the raw protected header before any
 * key is touched: outer-header refusals are in the decryption phase, nested-JWS refusals in the signature phase.
 */
class AlgorithmAttackTest {

    private static final String ACCOUNT = "default";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static Bench bench;

    @BeforeAll
    static void start() {
        bench = Bench.start();
    }

    @AfterAll
    static void stop() {
        bench.close();
    }

    @ParameterizedTest
    @MethodSource("signingProvidersAndNoneSpellings")
    void rejectsUnsecuredNestedJws(String provider, String none) {
        String unsecured = Forgery.rawJws("{\"alg\":\"" + none + "\"}", Forgery.PAYLOAD, "");
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT).content(unsecured).response())
                .with(ReasonCode.ALG_NOT_ALLOWED, OpenPhase.SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void neverEchoesTheEncryptedHeaderOfAnUnverifiedAnswer(String provider) {
        // The nested header is decrypted content: until it verifies, none of it may reach a dead-letter header.
        String nested = Forgery.rawJws("{\"alg\":\"XS-MARKER-ALG\",\"kid\":\"XS-MARKER-KID\"}", Forgery.PAYLOAD, "c2ln");
        OpenFailure byAlg = bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT).content(nested).response())
                .with(ReasonCode.ALG_NOT_ALLOWED, OpenPhase.SIGNATURE);
        String unknownKid = Forgery.rawJws("{\"alg\":\"RS256\",\"kid\":\"XS-MARKER-KID\"}", Forgery.PAYLOAD, "c2ln");
        OpenFailure byKid = bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT).content(unknownKid).response())
                .with(ReasonCode.UNKNOWN_KID, OpenPhase.SIGNATURE);

        assertThat(byAlg.getMessage()).doesNotContain("XS-MARKER");
        assertThat(byKid.getMessage()).doesNotContain("XS-MARKER");
    }

    static Stream<Arguments> signingProvidersAndNoneSpellings() {
        return Stream.of("juspay", "socure").flatMap(p -> Stream.of("none", "None", "NONE", "nOnE").map(n -> Arguments.of(p, n)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsUnsecuredNestedJwsThatKeepsTheGenuineSignature(String provider) {
        // alg none over a genuine RS256 signature: a library that trusts the header would skip verification.
        String genuine = bench.forge.answer(provider, ACCOUNT).signed();
        String[] parts = Forgery.parts(genuine);
        String kid = bench.forge.providerKey(provider, ACCOUNT).kid();
        String unsecured = Forgery.b64("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}") + "." + parts[1] + "." + parts[2];
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT).content(unsecured).response())
                .with(ReasonCode.ALG_NOT_ALLOWED, OpenPhase.SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsUnsecuredOuterHeader(String provider) {
        String token = bench.forge.answer(provider, ACCOUNT).token();
        String none = Forgery.withPart(token, 0, Forgery.b64("{\"alg\":\"none\",\"enc\":\"A256GCM\"}"));
        bench.refusals.assertRefused(Forgery.response(provider, ACCOUNT, 200, bench.forge.wire(provider, none)))
                .with(ReasonCode.ALG_NOT_ALLOWED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsUnsecuredJwsInPlaceOfTheJwe(String provider) {
        // Three parts where five are required: not even read as a JWE.
        String unsecured = Forgery.rawJws("{\"alg\":\"none\"}", Forgery.PAYLOAD, "");
        String body = provider.equals("juspay") ? "{\"JWT\":\"" + unsecured + "\"}" : bench.forge.wire(provider, unsecured);
        bench.refusals.assertRefused(Forgery.response(provider, ACCOUNT, 200, body))
                .with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @MethodSource("signingProvidersAndPublicKeyForms")
    void rejectsHmacSignatureKeyedWithTheProvidersPublicKey(String provider, String form) throws Exception {
        // The classic key confusion: a verifier that hands "the provider's key" to whatever alg the header
        // names would check this HMAC with the public key's bytes, which anyone can compute.
        PeerKey providerPublic = bench.forge.ours(provider, ACCOUNT).verificationCandidates(null, null, Bench.NOW).get(0);
        byte[] secret = switch (form) {
            case "pem-file" -> Files.readAllBytes(TestKeys.keys().resolve(provider).resolve(ACCOUNT).resolve("provider-public.pem"));
            case "pem-trimmed" -> Files.readString(TestKeys.keys().resolve(provider).resolve(ACCOUNT).resolve("provider-public.pem"))
                    .trim().getBytes(StandardCharsets.US_ASCII);
            case "der" -> providerPublic.publicKey().getEncoded();
            case "modulus" -> providerPublic.publicKey().getModulus().toByteArray();
            default -> throw new IllegalArgumentException(form);
        };
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT)
                        .jws(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(providerPublic.kid()))
                        .signedWith(new MACSigner(secret)).response())
                .with(ReasonCode.ALG_NOT_ALLOWED, OpenPhase.SIGNATURE);
    }

    static Stream<Arguments> signingProvidersAndPublicKeyForms() {
        // Socure's provider-public.pem is an X.509 certificate: its PEM is what a confused verifier would read.
        return Stream.of("juspay", "socure")
                .flatMap(p -> Stream.of("pem-file", "pem-trimmed", "der", "modulus").map(f -> Arguments.of(p, f)));
    }

    @ParameterizedTest
    @MethodSource("signingProvidersAndRsaVariants")
    void rejectsGenuineSignatureUnderAnotherRsaAlgorithm(String provider, String alg) {
        // Signed with the right key, but not the profile's algorithm: the allow-list is exact, not "any RSA".
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT)
                        .jws(new JWSHeader.Builder(JWSAlgorithm.parse(alg))
                                .keyID(bench.forge.providerKey(provider, ACCOUNT).kid()))
                        .response())
                .with(ReasonCode.ALG_NOT_ALLOWED, OpenPhase.SIGNATURE);
    }

    static Stream<Arguments> signingProvidersAndRsaVariants() {
        return Stream.of("juspay", "socure").flatMap(p -> Stream.of("PS256", "RS384", "RS512").map(a -> Arguments.of(p, a)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    @SuppressWarnings("deprecation") // deprecated for the very reason it must be refused
    void rejectsRsa15KeyManagement(String provider) {
        // A real RSA1_5 JWE (Nimbus still encrypts it when asked): decrypting it at all would offer a padding oracle.
        Forgery.Answer answer = bench.forge.answer(provider, ACCOUNT);
        bench.refusals.assertRefused(answer.jwe(answer.jweHeader(JWEAlgorithm.RSA1_5, EncryptionMethod.A256GCM)).response())
                .with(ReasonCode.ALG_NOT_ALLOWED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    @SuppressWarnings("deprecation") // deprecated for the very reason it must be refused
    void rejectsRsaOaepWithSha1WhereOnlySha256IsConfigured(String provider) {
        Forgery.Answer answer = bench.forge.answer(provider, ACCOUNT);
        bench.refusals.assertRefused(answer.jwe(answer.jweHeader(JWEAlgorithm.RSA_OAEP, EncryptionMethod.A256GCM)).response())
                .with(ReasonCode.ALG_NOT_ALLOWED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @MethodSource("providersAndContentEncryptions")
    void rejectsContentEncryptionOutsideTheAllowList(String provider, String enc) {
        Forgery.Answer answer = bench.forge.answer(provider, ACCOUNT);
        bench.refusals.assertRefused(answer.jwe(answer.jweHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.parse(enc))).response())
                .with(ReasonCode.ALG_NOT_ALLOWED, OpenPhase.DECRYPTION);
    }

    static Stream<Arguments> providersAndContentEncryptions() {
        return Stream.of("juspay", "wise", "socure")
                .flatMap(p -> Stream.of("A128GCM", "A192GCM", "A128CBC-HS256", "A256CBC-HS512").map(e -> Arguments.of(p, e)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsDirectEncryptionWhereTheProfileDoesNotAllowIt(String provider) throws Exception {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        Forgery.Answer answer = bench.forge.answer(provider, ACCOUNT);
        bench.refusals.assertRefused(answer.jwe(answer.jweHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM))
                        .encryptedWith(new DirectEncrypter(new SecretKeySpec(key, "AES"))).response())
                .with(ReasonCode.ALG_NOT_ALLOWED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsPasswordBasedKeyManagementBeforeRunningItsIterations(String provider) {
        // PBES2 with a huge p2c is a CPU bomb; it must be refused from the header alone.
        String token = bench.forge.answer(provider, ACCOUNT).token();
        String pbes2 = Forgery.withPart(token, 0, Forgery.b64(
                "{\"alg\":\"PBES2-HS512+A256KW\",\"enc\":\"A256GCM\",\"p2s\":\"c2FsdHNhbHQ\",\"p2c\":2147483647}"));
        bench.refusals.assertRefused(Forgery.response(provider, ACCOUNT, 200, bench.forge.wire(provider, pbes2)))
                .with(ReasonCode.ALG_NOT_ALLOWED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsUnknownCriticalHeaderOnTheJwe(String provider) {
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT)
                        .jwe(h -> h.criticalParams(Set.of("x-must-understand")).customParam("x-must-understand", true))
                        .response())
                .with(ReasonCode.UNSUPPORTED_HEADER, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsUnknownCriticalHeaderOnTheNestedJws(String provider) {
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT)
                        .jws(h -> h.criticalParams(Set.of("x-must-understand")).customParam("x-must-understand", true))
                        .response())
                .with(ReasonCode.UNSUPPORTED_HEADER, OpenPhase.SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsZipDeflatedAnswer(String provider) {
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT)
                        .jwe(h -> h.compressionAlgorithm(CompressionAlgorithm.DEF)).response())
                .with(ReasonCode.UNSUPPORTED_HEADER, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsZipHeaderOnTheNestedJws(String provider) {
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT).jws(h -> h.customParam("zip", "DEF")).response())
                .with(ReasonCode.UNSUPPORTED_HEADER, OpenPhase.SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"enc\":\"A256GCM\"}", "{\"alg\":[\"RSA-OAEP-256\"],\"enc\":\"A256GCM\"}",
            "{\"alg\":null,\"enc\":\"A256GCM\"}", "{\"alg\":\"RSA-OAEP-256\"}", "{\"alg\":\"RSA-OAEP-256\",\"enc\":256}"})
    void rejectsJweHeaderWithoutAStringAlgAndEnc(String header) {
        String token = bench.forge.answer("juspay", ACCOUNT).token();
        ProviderResponse response = Forgery.response("juspay", ACCOUNT, 200,
                bench.forge.wire("juspay", Forgery.withPart(token, 0, Forgery.b64(header))));
        bench.refusals.assertRefused(response).with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"kid\":\"k\"}", "{\"alg\":{\"name\":\"RS256\"}}", "{\"alg\":null}"})
    void rejectsNestedJwsHeaderWithoutAStringAlg(String header) {
        String signed = bench.forge.answer("juspay", ACCOUNT).signed();
        String changed = Forgery.withPart(signed, 0, Forgery.b64(header));
        bench.refusals.assertRefused(bench.forge.answer("juspay", ACCOUNT).content(changed).response())
                .with(ReasonCode.MALFORMED, OpenPhase.SIGNATURE);
    }
}
