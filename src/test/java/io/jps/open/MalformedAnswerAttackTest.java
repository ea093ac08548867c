package io.jps.open;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jps.profile.ReasonCode;
import io.jps.record.Json;
import io.jps.record.PaymentResult;
import io.jps.record.ProviderResponse;
import io.jps.support.Requests;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bodies that are not the sealed form the profile expects: cut, padded, mis-encoded, in the wrong wire form,
 * unsealed, or too large. They are refused as MALFORMED (or OVERSIZED) in the decryption phase, before any key
 * is used; none of them may come out as a SUCCEEDED result.
 */
class MalformedAnswerAttackTest {

    private static final String ACCOUNT = "default";
    /** Small enough to test cheaply, large enough for every genuine answer of the suite (about 1.3 KB). */
    private static final int LIMIT = 2048;
    private static final TypeReference<LinkedHashMap<String, Object>> FIELDS = new TypeReference<>() { };
    private static Bench bench;

    @BeforeAll
    static void start() {
        bench = Bench.start("limits:\n  maxAnswerBytes: " + LIMIT + "\n");
    }

    @AfterAll
    static void stop() {
        bench.close();
    }

    private static ProviderResponse answer(String provider, int status, String body) {
        return Forgery.response(provider, ACCOUNT, status, body);
    }

    /** A token in the provider's wire form; Juspay's JWT form carries any token, whatever its part count. */
    private static String carrying(String provider, String token) {
        return provider.equals("juspay") ? Json.write(Map.of("JWT", token)) : bench.forge.wire(provider, token);
    }

    private static String genuineToken(String provider) {
        return bench.forge.answer(provider, ACCOUNT).token();
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void genuineAnswerFitsUnderTheLimitAndOpens(String provider) throws Exception {
        ProviderResponse response = bench.forge.answer(provider, ACCOUNT).response();
        assertThat(response.body().getBytes(StandardCharsets.UTF_8).length).isLessThan(LIMIT);
        assertThat(bench.refusals.assertOpens(response).outcome()).isEqualTo(PaymentResult.Outcome.SUCCEEDED);
    }

    @Test
    void juspayAnswerOpensInItsJwtWireFormToo() throws Exception {
        // The truncation tests below use this form to carry tokens of any part count.
        assertThat(bench.refusals.assertOpens(answer("juspay", 200, carrying("juspay", genuineToken("juspay")))).outcome())
                .isEqualTo(PaymentResult.Outcome.SUCCEEDED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsTokenWithFourParts(String provider) {
        String token = genuineToken(provider);
        bench.refusals.assertRefused(answer(provider, 200, carrying(provider, token.substring(0, token.lastIndexOf('.')))))
                .with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsTokenWithSixParts(String provider) {
        bench.refusals.assertRefused(answer(provider, 200, carrying(provider, genuineToken(provider) + ".AAAA")))
                .with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsTokenCutInTheMiddleOfItsCiphertext(String provider) {
        String token = genuineToken(provider);
        String[] parts = Forgery.parts(token);
        String cut = String.join(".", parts[0], parts[1], parts[2], parts[3].substring(0, parts[3].length() / 2));
        bench.refusals.assertRefused(answer(provider, 200, carrying(provider, cut)))
                .with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsJuspayFieldHoldingADot() {
        String[] parts = Forgery.parts(genuineToken("juspay"));
        String body = Forgery.juspayFields("header", parts[0], "encryptedKey", parts[1], "iv", parts[2] + "." + parts[2],
                "encryptedPayload", parts[3], "tag", parts[4]);
        bench.refusals.assertRefused(answer("juspay", 200, body)).with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    static Stream<Arguments> providersAndForeignCharacters() {
        return Stream.of("juspay", "wise", "socure")
                .flatMap(provider -> Stream.of("+", "/", "=", " ", "%", "\u00e9", "\n").map(c -> Arguments.of(provider, c)));
    }

    @ParameterizedTest
    @MethodSource("providersAndForeignCharacters")
    void rejectsPartWithCharactersOutsideBase64url(String provider, String character) {
        // base64 (not url) characters, padding, whitespace: a lenient decoder would skip or map them and
        // decrypt anyway, so one token would have many spellings.
        String token = genuineToken(provider);
        String iv = Forgery.parts(token)[2];
        String changed = Forgery.withPart(token, 2, iv.substring(0, 8) + character + iv.substring(8));
        String body = provider.equals("juspay") ? juspayFields(changed) : carrying(provider, changed);
        bench.refusals.assertRefused(answer(provider, 200, body)).with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsPaddedTag(String provider) {
        String token = genuineToken(provider);
        String changed = Forgery.withPart(token, 4, Forgery.parts(token)[4] + "==");
        bench.refusals.assertRefused(answer(provider, 200, carrying(provider, changed)))
                .with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsPartOfALengthNoBase64urlHas(String provider) {
        // 4n+1 characters cannot be the encoding of any byte string.
        String token = genuineToken(provider);
        String changed = Forgery.withPart(token, 2, Forgery.parts(token)[2] + "A");
        bench.refusals.assertRefused(answer(provider, 200, carrying(provider, changed)))
                .with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"header", "encryptedKey", "iv", "encryptedPayload", "tag"})
    void rejectsJuspayBodyMissingAField(String missing) throws Exception {
        Map<String, Object> fields = Json.MAPPER.readValue(bench.forge.genuineBody("juspay", ACCOUNT),
                FIELDS);
        fields.remove(missing);
        bench.refusals.assertRefused(answer("juspay", 200, Json.write(fields))).with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsJuspayFieldThatIsNotAString() throws Exception {
        Map<String, Object> fields = Json.MAPPER.readValue(bench.forge.genuineBody("juspay", ACCOUNT),
                FIELDS);
        fields.put("tag", Map.of("value", fields.get("tag")));
        bench.refusals.assertRefused(answer("juspay", 200, Json.write(fields))).with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsCompactTokenWhereJuspayFieldsAreExpected() {
        bench.refusals.assertRefused(answer("juspay", 200, genuineToken("juspay")))
                .with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsJuspayFieldsWhereACompactTokenIsExpected() {
        bench.refusals.assertRefused(answer("wise", 200, juspayFields(genuineToken("wise"))))
                .with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsBareCompactTokenWhereSocuresEnvelopeIsExpected() {
        bench.refusals.assertRefused(answer("socure", 200, genuineToken("socure")))
                .with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsSocureEnvelopeWithTwoTokens() {
        // Duplicate keys: which encrypted_response would "win" depends on the parser; the answer is refused.
        String body = "{\"eval_id\":\"e-1\",\"encrypted_response\":\"" + genuineToken("socure")
                + "\",\"encrypted_response\":\"e30.e30.e30.e30.e30\"}";
        bench.refusals.assertRefused(answer("socure", 200, body)).with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsPlainJsonOnSuccess(String provider) {
        // An unsealed "success" would be trusted without a key: exactly what sealing exists to prevent.
        String body = switch (provider) {
            case "socure" -> "{\"eval_id\":\"123456-abcdef-123456\",\"status\":\"ok\",\"note\":\"" + Forgery.MARKER + "\"}";
            default -> "{\"status\":\"SUCCESS\",\"note\":\"" + Forgery.MARKER + "\"}";
        };
        bench.refusals.assertRefused(answer(provider, 200, body)).with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @Test
    void acceptsSocureErrorOnHttp400AsAProviderErrorResult() throws Exception {
        String body = "{\"eval_id\":\"123456-abcdef-123456\",\"error\":\"Payload decryption failed\"}";
        PaymentResult result = bench.refusals.assertOpens(answer("socure", 400, body));
        assertThat(result.outcome()).isEqualTo(PaymentResult.Outcome.PROVIDER_ERROR);
        assertThat(result.httpStatus()).isEqualTo(400);
        assertThat(result.payload()).isEqualTo(Requests.json(body));
        assertThat(result.verifiedKid()).isNull();
    }

    static Stream<Arguments> providersAndErrorStatuses() {
        return Stream.of("juspay", "wise", "socure").flatMap(p -> Stream.of(302, 400, 401, 404, 500, 503).map(s -> Arguments.of(p, s)));
    }

    @ParameterizedTest
    @MethodSource("providersAndErrorStatuses")
    void plainBodyOnAnErrorStatusIsAProviderErrorNeverASuccess(String provider, int status) throws Exception {
        // Rewriting 200 to 4xx lets an unsealed body in, but only ever as the provider's error, never as a success.
        String body = "{\"status\":\"SUCCESS\",\"note\":\"" + Forgery.MARKER + "\"}";
        PaymentResult result = bench.refusals.assertOpens(answer(provider, status, body));
        assertThat(result.outcome()).isEqualTo(PaymentResult.Outcome.PROVIDER_ERROR);
        assertThat(result.verifiedKid()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsTamperedSealedBodyOnAnErrorStatus(String provider) {
        // A body in the sealed wire form is opened whatever the status: tampering is not excused as an error.
        String token = genuineToken(provider);
        String tampered = Forgery.withPart(token, 4, Forgery.flipBit(Forgery.parts(token)[4], 0));
        bench.refusals.assertRefused(answer(provider, 400, bench.forge.wire(provider, tampered)))
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsNonJsonGarbage(String provider) {
        bench.refusals.assertRefused(answer(provider, 200, "<html><body>502 Bad Gateway</body></html>"))
                .with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"eyJhbGciOi\"", "42", "null", "{\"JWT\":7}", "{\"JWT\":null}"})
    void rejectsJuspayBodyThatIsNotAnObjectOfStrings(String body) {
        bench.refusals.assertRefused(answer("juspay", 200, body)).with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsDeeplyNestedJsonBody(String provider) {
        // Deeper than the parser's nesting limit: refused as not-our-JSON, not a stack overflow.
        bench.refusals.assertRefused(answer(provider, 200, "[".repeat(LIMIT - 10)))
                .with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsEmptyBodyOnSuccess(String provider) {
        // Only Wise documents unencrypted empty answers; elsewhere an empty 200 is not an answer.
        bench.refusals.assertRefused(answer(provider, 200, "")).with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
        bench.refusals.assertRefused(answer(provider, 200, " \r\n")).with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsAnswerOverTheSizeLimit(String provider) {
        byte[] big = ("{\"status\":\"SUCCESS\",\"note\":\"" + Forgery.MARKER + "\",\"pad\":\"" + "x".repeat(LIMIT) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT).payload(big).response())
                .with(ReasonCode.OVERSIZED, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsOversizedBodyBeforeParsingIt() {
        // Not MALFORMED: the size is checked before a single byte is parsed.
        bench.refusals.assertRefused(answer("juspay", 200, "{".repeat(LIMIT + 1))).with(ReasonCode.OVERSIZED, OpenPhase.DECRYPTION);
    }

    @Test
    void countsTheLimitInBytesNotCharacters() {
        String body = "\u20ac".repeat(LIMIT / 3 + 1);
        assertThat(body.length()).isLessThan(LIMIT);
        bench.refusals.assertRefused(answer("wise", 200, body)).with(ReasonCode.OVERSIZED, OpenPhase.DECRYPTION);
    }

    @Test
    void letsABodyOfExactlyTheLimitThroughToParsing() {
        bench.refusals.assertRefused(answer("juspay", 200, "x".repeat(LIMIT))).with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 500})
    void rejectsOversizedProviderError(int status) {
        // An error status is not a way around the limit.
        String body = "{\"eval_id\":\"e-1\",\"error\":\"" + "x".repeat(LIMIT) + "\"}";
        bench.refusals.assertRefused(answer("socure", status, body)).with(ReasonCode.OVERSIZED, OpenPhase.DECRYPTION);
    }

    private static String juspayFields(String token) {
        String[] parts = Forgery.parts(token);
        return Forgery.juspayFields("header", parts[0], "encryptedKey", parts[1], "iv", parts[2],
                "encryptedPayload", parts[3], "tag", parts[4]);
    }
}
