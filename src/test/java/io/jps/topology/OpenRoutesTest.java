package io.jps.topology;

import static io.jps.support.PipelineDriver.header;
import static io.jps.support.PipelineDriver.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.jps.record.Json;
import io.jps.record.PaymentResult.Outcome;
import io.jps.record.PaymentResult;
import io.jps.record.SealedRequest;
import io.jps.sandbox.ProviderCrypto.AnswerMode;
import io.jps.sandbox.ProviderCrypto;
import io.jps.support.Engines;
import io.jps.support.PipelineDriver;
import io.jps.support.Requests;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** payments.responses -> OPEN -> payments.results | payments.dlq.decryption | payments.dlq.signature. */
class OpenRoutesTest {

    private static final String MARKER = "PLAINTEXT-MARKER-91c2";

    private PipelineDriver pipeline = new PipelineDriver();
    private ProviderCrypto provider = Engines.provider(pipeline.engine);

    @AfterEach
    void close() {
        pipeline.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure", "portone"})
    void opensEachProvidersAnswerOntoTheResults(String name) throws Exception {
        SealedRequest sealed = sealed(name, "r-" + name);
        answer(sealed, 200, answerBody(sealed, AnswerMode.NORMAL));

        PaymentResult result = onlyResult(pipeline.topics.resultTopicOf(name));
        assertThat(result.requestId()).isEqualTo("r-" + name);
        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.payload().get("echo").asText()).isEqualTo(MARKER);
        assertThat(result.sealedAt()).isEqualTo(sealed.sealedAt());
        assertThat(result.dispatchedAt()).isPositive();
        assertThat(result.respondedAt()).isGreaterThanOrEqualTo(result.dispatchedAt());
        assertNoDeadLetters();
    }

    @Test
    void opensAWiseDirectAnswerWithTheContentKeyRememberedAtSealTime() throws Exception {
        SealedRequest sealed = sealed("wise", "r-dir");
        answer(sealed, 200, answerBody(sealed, AnswerMode.DIRECT));

        assertThat(onlyResult("payments.results").payload().get("echo").asText()).isEqualTo(MARKER);
    }

    @Test
    void makesSocuresErrorBodyAProviderErrorResult() throws Exception {
        SealedRequest sealed = sealed("socure", "r-err");
        answer(sealed, 400, "{\"eval_id\":\"e-1\",\"error\":\"Payload signature could not be verified\"}");

        PaymentResult result = onlyResult("payments.results");
        assertThat(result.outcome()).isEqualTo(Outcome.PROVIDER_ERROR);
        assertThat(result.httpStatus()).isEqualTo(400);
        assertThat(result.payload().get("error").asText()).isEqualTo("Payload signature could not be verified");
        assertNoDeadLetters();
    }

    @Test
    void routesAnUndecryptableAnswerToTheDecryptionDeadLetterTopicAsReceived() throws Exception {
        SealedRequest sealed = sealed("juspay", "r-tamper");
        String body = answerBody(sealed, AnswerMode.NORMAL);
        var fields = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parseTree(body);
        String tag = fields.get("tag").asText();
        fields.put("tag", (tag.charAt(0) == 'A' ? "B" : "A") + tag.substring(1));
        byte[] value = answer(sealed, 200, Json.write(fields));

        TestRecord<byte[], byte[]> letter = onlyDeadLetter(pipeline.topics.dlqDecryption().name());
        assertThat(header(letter, HeaderNames.ERROR_REASON)).isEqualTo("DECRYPT_FAILED");
        assertThat(header(letter, HeaderNames.ERROR_STAGE)).isEqualTo("open");
        assertThat(header(letter, HeaderNames.REQUEST_ID)).isEqualTo("r-tamper");
        assertThat(header(letter, HeaderNames.ERROR_SOURCE_TOPIC)).isEqualTo("payments.responses");
        assertThat(letter.value()).isEqualTo(value);
        assertThat(pipeline.drain("payments.results")).isEmpty();
        assertThat(pipeline.counter("jps.dlq.records", Map.of("topic", "payments.dlq.decryption", "reason", "DECRYPT_FAILED")))
                .isEqualTo(1);
    }

    @Test
    void routesAWronglySignedAnswerToTheSignatureDeadLetterTopicWithoutItsPlaintext() throws Exception {
        SealedRequest sealed = sealed("socure", "r-forged");
        // Signed with our own key instead of Socure's: it decrypts, but Socure's key does not verify it.
        var ours = pipeline.engine.keyRing().lookup("socure", "default").found().orElseThrow()
                .signingKey(null, java.time.Instant.now()).orElseThrow();
        String jws = new io.jps.seal.JoseSealer(pipeline.engine.backend()).sign(
                ("{\"echo\":\"" + MARKER + "\"}").getBytes(StandardCharsets.UTF_8), com.nimbusds.jose.JWSAlgorithm.RS256,
                null, ours);
        var merchantKey = Engines.providerKeyset(pipeline.engine, "socure", "default").encryptionKey(null, java.time.Instant.now())
                .orElseThrow();
        String jwe = new io.jps.seal.JoseSealer(pipeline.engine.backend()).encrypt(new com.nimbusds.jose.JWEHeader.Builder(
                com.nimbusds.jose.JWEAlgorithm.RSA_OAEP_256, com.nimbusds.jose.EncryptionMethod.A256GCM).contentType("JWT").build(),
                jws.getBytes(StandardCharsets.US_ASCII), merchantKey, false).compact();
        answer(sealed, 200, Json.write(Map.of("eval_id", "e", "encrypted_response", jwe)));

        TestRecord<byte[], byte[]> letter = onlyDeadLetter(pipeline.topics.dlqSignature().name());
        assertThat(header(letter, HeaderNames.ERROR_REASON)).isEqualTo("BAD_SIGNATURE");
        assertThat(pipeline.counter("jps.dlq.records", Map.of("topic", "payments.dlq.signature", "reason", "BAD_SIGNATURE")))
                .isEqualTo(1);
        assertThat(text(letter.value())).doesNotContain(MARKER);
        letter.headers().forEach(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8)).doesNotContain(MARKER));
    }

    @Test
    void routesAResponseRecordThatIsNotAProviderResponseToTheDecryptionDeadLetterTopic() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(HeaderNames.REQUEST_ID, "r-x".getBytes(StandardCharsets.UTF_8));
        pipeline.sendRaw("payments.responses", "k".getBytes(), "{\"httpStatus\":\"two hundred\"}".getBytes(), headers);

        TestRecord<byte[], byte[]> letter = onlyDeadLetter(pipeline.topics.dlqDecryption().name());
        assertThat(header(letter, HeaderNames.ERROR_REASON)).isEqualTo("MALFORMED");
        assertThat(header(letter, HeaderNames.REQUEST_ID)).isEqualTo("r-x");
    }

    @Test
    void dropsDuplicateAnswersSoEachRequestHasExactlyOneOutcome() throws Exception {
        SealedRequest sealed = sealed("juspay", "r-dup");
        String body = answerBody(sealed, AnswerMode.NORMAL);
        answer(sealed, 200, body);
        answer(sealed, 200, body);
        answer(sealed, 200, answerBody(sealed, AnswerMode.NORMAL));

        assertThat(pipeline.drain("payments.results")).hasSize(1);
        assertThat(pipeline.counter("jps.duplicate.answers", Map.of("provider", "juspay"))).isEqualTo(2);
    }

    @Test
    void dropsAValidAnswerThatArrivesAfterTheRequestWasAlreadyDeadLettered() throws Exception {
        SealedRequest sealed = sealed("juspay", "r-late");
        answer(sealed, 200, "{\"JWT\":\"a.b.c.d.e\"}");
        answer(sealed, 200, answerBody(sealed, AnswerMode.NORMAL));

        assertThat(pipeline.drain(pipeline.topics.dlqDecryption().name())).hasSize(1);
        assertThat(pipeline.drain("payments.results")).isEmpty();
    }

    @Test
    void sendsAProvidersResultsToItsOwnTopicWhenItsProfileNamesOne() throws Exception {
        pipeline.close();
        pipeline = new PipelineDriver(Engines.config("providers:\n  portone:\n    resultTopic: portone.results\n"),
                Clock.systemUTC());
        provider = Engines.provider(pipeline.engine);
        SealedRequest sealed = sealed("portone", "r-own");
        answer(sealed, 200, answerBody(sealed, AnswerMode.NORMAL));

        assertThat(onlyResult("portone.results").requestId()).isEqualTo("r-own");
        assertThat(pipeline.drain("payments.results")).isEmpty();
    }

    /** The request, sealed by the topology (so that OPEN remembers it). */
    private SealedRequest sealed(String name, String requestId) {
        return pipeline.seal(Requests.typical(name, "default", requestId));
    }

    private String answerBody(SealedRequest request, AnswerMode mode) throws Exception {
        var opened = provider.openRequest(request.provider(), request.account(), request.path(), request.body());
        return provider.sealAnswer(request.provider(), request.account(),
                ("{\"echo\":\"" + MARKER + "\"}").getBytes(StandardCharsets.UTF_8), mode, opened.contentKey());
    }

    /** Puts an answer on payments.responses as the dispatcher would, and returns the value it wrote. */
    private byte[] answer(SealedRequest request, int status, String body) {
        return pipeline.answer(request, status, body);
    }

    private PaymentResult onlyResult(String topic) throws Exception {
        List<TestRecord<byte[], byte[]>> results = pipeline.drain(topic);
        assertThat(results).hasSize(1);
        assertThat(header(results.get(0), HeaderNames.REQUEST_ID)).isNotBlank();
        return Json.MAPPER.readValue(results.get(0).value(), PaymentResult.class);
    }

    private TestRecord<byte[], byte[]> onlyDeadLetter(String topic) {
        List<TestRecord<byte[], byte[]>> letters = pipeline.drain(topic);
        assertThat(letters).hasSize(1);
        return letters.get(0);
    }

    private void assertNoDeadLetters() {
        assertThat(pipeline.drain(pipeline.topics.dlqDecryption().name())).isEmpty();
        assertThat(pipeline.drain(pipeline.topics.dlqSignature().name())).isEmpty();
    }
}
