package io.jps.topology;

import static io.jps.support.PipelineDriver.header;
import static io.jps.support.PipelineDriver.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.jps.record.Json;
import io.jps.record.PaymentResult;
import io.jps.record.ProviderResponse;
import io.jps.record.SealedRequest;
import io.jps.sandbox.ProviderCrypto.AnswerMode;
import io.jps.sandbox.ProviderCrypto;
import io.jps.seal.JoseSealer;
import io.jps.support.Engines;
import io.jps.support.MutableClock;
import io.jps.support.PipelineDriver;
import io.jps.support.Requests;
import io.jps.support.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Only an answer our dispatcher attested, to a request SEAL remembers, for the provider and account it was sealed
 * for, decides an outcome; the first one does, once. Everything else is refused into payments.dlq.signature with
 * its bytes as received, and neither decides nor suppresses anything: each test ends by showing that the genuine
 * answer still gives the one result.
 */
class TrustRoutesTest {

    private static final String MARKER = "PLAINTEXT-MARKER-5d1e";
    private static final Instant START = Instant.parse("2026-12-01T09:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private PipelineDriver pipeline = new PipelineDriver(Engines.config(null), clock);
    private ProviderCrypto provider = Engines.provider(pipeline.engine);

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void refusesAnAttestedAnswerToARequestNeverSealedAsUnsolicited() throws Exception {
        ProviderResponse stray = new ProviderResponse("r-never-sent", "portone", "default", 200, Map.of(),
                "{\"status\":\"PAID\"}", 1, clock.millis() - 10, clock.millis());
        byte[] value = pipeline.respond(stray, pipeline.attestor.attest(stray));

        TestRecord<byte[], byte[]> letter = onlySignatureLetter("UNSOLICITED");
        assertThat(letter.value()).isEqualTo(value);
        assertThat(header(letter, HeaderNames.ERROR_MESSAGE)).contains("r-never-sent");
        assertThat(pipeline.drain("payments.results")).isEmpty();
        assertDeadLettered("payments.dlq.signature", "UNSOLICITED", 1);
    }

    @Test
    void refusesAnAnswerForAnotherProviderOrAccountThanTheRequestWasSealedFor() throws Exception {
        SealedRequest sealed = sealed("juspay", "default", "r-bound");
        String body = genuineBody(sealed, AnswerMode.NORMAL);
        for (ProviderResponse elsewhere : List.of(
                new ProviderResponse("r-bound", "socure", "default", 200, Map.of(), body, 1, clock.millis(), clock.millis()),
                new ProviderResponse("r-bound", "juspay", "acme", 200, Map.of(), body, 1, clock.millis(), clock.millis()))) {
            pipeline.respond(elsewhere, pipeline.attestor.attest(elsewhere));
        }

        List<TestRecord<byte[], byte[]>> letters = pipeline.drain(pipeline.topics.dlqSignature().name());
        assertThat(letters).extracting(r -> header(r, HeaderNames.ERROR_REASON)).containsExactly("UNSOLICITED", "UNSOLICITED");
        assertThat(header(letters.get(0), HeaderNames.ERROR_MESSAGE)).contains("juspay/default", "socure/default");
        assertThat(header(letters.get(1), HeaderNames.ERROR_MESSAGE)).contains("juspay/default", "juspay/acme");

        pipeline.answer(sealed, 200, body);
        assertThat(onlyResult().payload().get("echo").asText()).isEqualTo(MARKER);
    }

    @Test
    void refusesMissingWrongAndBorrowedAttestationsAndStillTakesTheGenuineAnswer() throws Exception {
        SealedRequest first = sealed("socure", "default", "r-first");
        SealedRequest second = sealed("socure", "default", "r-second");
        ProviderResponse answer = pipeline.response(first, 200, genuineBody(first, AnswerMode.NORMAL));
        ProviderResponse otherAnswer = pipeline.response(second, 200, genuineBody(second, AnswerMode.NORMAL));

        pipeline.respond(answer, null);
        pipeline.respond(answer, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        pipeline.respond(answer, pipeline.attestor.attest(otherAnswer));
        // The genuine attestation over a record changed afterwards: another status, so another outcome.
        pipeline.respond(new ProviderResponse(answer.requestId(), answer.provider(), answer.account(), 400, answer.headers(),
                "{\"error\":\"forged\"}", answer.attempts(), answer.dispatchedAt(), answer.respondedAt()), pipeline.attestor.attest(answer));

        List<TestRecord<byte[], byte[]>> letters = pipeline.drain(pipeline.topics.dlqSignature().name());
        assertThat(letters).extracting(r -> header(r, HeaderNames.ERROR_REASON)).containsOnly("UNATTESTED").hasSize(4);
        assertThat(header(letters.get(0), HeaderNames.ERROR_MESSAGE)).contains("no jps.attestation");
        assertThat(header(letters.get(1), HeaderNames.ERROR_MESSAGE)).contains("does not match");
        assertDeadLettered("payments.dlq.signature", "UNATTESTED", 4);

        pipeline.respond(answer, pipeline.attestor.attest(answer));
        assertThat(onlyResult().requestId()).isEqualTo("r-first");
        assertThat(pipeline.counter("jps.duplicate.answers", Map.of("provider", "socure"))).isZero();
    }

    @Test
    void aForgedPlainErrorBeforeTheGenuineAnswerDecidesNothing() throws Exception {
        SealedRequest sealed = sealed("juspay", "default", "r-plain");
        ProviderResponse forged = new ProviderResponse("r-plain", "juspay", "default", 402, Map.of(), "{\"status\":\"FAILED\"}",
                1, clock.millis(), clock.millis());
        pipeline.respond(forged, null);

        assertThat(onlySignatureLetter("UNATTESTED").value()).isEqualTo(Json.writeBytes(forged));
        pipeline.answer(sealed, 200, genuineBody(sealed, AnswerMode.NORMAL));
        PaymentResult result = onlyResult();
        assertThat(result.outcome()).isEqualTo(PaymentResult.Outcome.SUCCEEDED);
        assertThat(result.verification()).isEqualTo(PaymentResult.Verification.JOSE);
    }

    @Test
    void aWiseAnswerEncryptedToOurPublicKeyByAnyoneIsRefusedWithoutAttestation() throws Exception {
        SealedRequest sealed = sealed("wise", "default", "r-wise");
        var ourPublicKey = Engines.providerKeyset(pipeline.engine, "wise", "default").encryptionKey(null, clock.instant()).orElseThrow();
        String forgedJwe = new JoseSealer(pipeline.engine.backend()).encrypt(
                new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM).keyID(ourPublicKey.kid()).build(),
                "{\"status\":\"COMPLETED\"}".getBytes(StandardCharsets.UTF_8), ourPublicKey, false).compact();
        pipeline.respond(pipeline.response(sealed, 200, forgedJwe), null);

        onlySignatureLetter("UNATTESTED");
        assertThat(pipeline.drain("payments.results")).isEmpty();
        pipeline.answer(sealed, 200, genuineBody(sealed, AnswerMode.NORMAL));
        assertThat(onlyResult().payload().get("echo").asText()).isEqualTo(MARKER);
    }

    @Test
    void theFirstOfTwoGenuineAnswersDecidesAndTheSecondIsCountedAsADuplicate() throws Exception {
        SealedRequest sealed = sealed("juspay", "default", "r-twice");
        pipeline.answer(sealed, 200, genuineBody(sealed, AnswerMode.NORMAL));
        clock.advance(Duration.ofSeconds(1));
        pipeline.answer(sealed, 200, genuineBody(sealed, AnswerMode.NORMAL));

        onlyResult();
        assertThat(pipeline.counter("jps.duplicate.answers", Map.of("provider", "juspay"))).isEqualTo(1);
        assertThat(pipeline.drain(pipeline.topics.dlqSignature().name())).isEmpty();
    }

    @Test
    void aDirAnswerOpensWithTheRememberedKeyAndNotUnderAnotherRequestId() throws Exception {
        SealedRequest first = sealed("wise", "default", "r-dir-1");
        SealedRequest second = sealed("wise", "default", "r-dir-2");
        String firstsDirAnswer = genuineBody(first, AnswerMode.DIRECT);

        // The dispatcher received the first request's dir answer as the answer to the second (a provider-side replay).
        pipeline.answer(second, 200, firstsDirAnswer);
        TestRecord<byte[], byte[]> letter = onlyLetter(pipeline.topics.dlqDecryption().name());
        assertThat(header(letter, HeaderNames.ERROR_REASON)).isEqualTo("DECRYPT_FAILED");
        assertThat(header(letter, HeaderNames.REQUEST_ID)).isEqualTo("r-dir-2");

        pipeline.answer(first, 200, firstsDirAnswer);
        assertThat(onlyResult().requestId()).isEqualTo("r-dir-1");
        assertDeadLettered("payments.dlq.decryption", "DECRYPT_FAILED", 1);
    }

    @Test
    void theOperationRememberedAtSealTimeDecidesWhetherAPlainAnswerIsAccepted() throws Exception {
        SealedRequest txn = pipeline.seal(new io.jps.record.PaymentRequest("r-txn", "juspay", "default", "txn", null, null, null,
                Requests.json("{\"order_id\":\"ord_9\",\"mandate_id\":\"m-1\"}")));
        SealedRequest byPath = pipeline.seal(new io.jps.record.PaymentRequest("r-txn-path", "juspay", "default", null, "POST",
                "/v4/txns", null, Requests.json("{\"order_id\":\"ord_10\"}")));
        SealedRequest refund = sealed("juspay", "default", "r-refund");
        String plain = "{\"txn_uuid\":\"eulmN9X8JpeC7qK6AJq\",\"status\":\"PENDING_VBV\"}";

        pipeline.answer(txn, 200, plain);
        pipeline.answer(byPath, 200, plain);
        pipeline.answer(refund, 200, plain);

        List<TestRecord<byte[], byte[]>> results = pipeline.drain("payments.results");
        assertThat(results).hasSize(2);
        for (TestRecord<byte[], byte[]> record : results) {
            PaymentResult result = Json.MAPPER.readValue(record.value(), PaymentResult.class);
            assertThat(result.requestId()).isIn("r-txn", "r-txn-path");
            assertThat(result.verification()).isEqualTo(PaymentResult.Verification.TLS);
            assertThat(result.payload().get("status").asText()).isEqualTo("PENDING_VBV");
        }
        TestRecord<byte[], byte[]> letter = onlyLetter(pipeline.topics.dlqDecryption().name());
        assertThat(header(letter, HeaderNames.REQUEST_ID)).isEqualTo("r-refund");
        assertThat(header(letter, HeaderNames.ERROR_REASON)).isEqualTo("MALFORMED");
    }

    @Test
    void aRequestIdSealedBeforeIsNotSealedAgain() {
        pipeline.sendRequest(Requests.typical("juspay", "default", "r-again"));
        pipeline.sendRequest(Requests.typical("juspay", "default", "r-again"));

        assertThat(pipeline.drain(pipeline.topics.sealed().name())).hasSize(1);
        TestRecord<byte[], byte[]> letter = onlyLetter(pipeline.topics.dlqRequest().name());
        assertThat(header(letter, HeaderNames.ERROR_REASON)).isEqualTo("DUPLICATE_REQUEST");
        assertThat(header(letter, HeaderNames.REQUEST_ID)).isEqualTo("r-again");
        assertDeadLettered("payments.dlq.request", "DUPLICATE_REQUEST", 1);
    }

    @Test
    void aJuspayAnswerFreshWhenReceivedStillOpensAfterALongBacklog() throws Exception {
        SealedRequest sealed = sealed("juspay", "default", "r-backlog");
        String body = genuineBody(sealed, AnswerMode.NORMAL);
        ProviderResponse received = pipeline.response(sealed, 200, body);
        // The open stage was down for two hours; the answer waited on the topic.
        clock.advance(Duration.ofHours(2));

        pipeline.respond(received, pipeline.attestor.attest(received));
        assertThat(onlyResult().respondedAt()).isEqualTo(START.toEpochMilli());
    }

    @Test
    void aJuspayAnswerAlreadyStaleWhenReceivedIsExpired() throws Exception {
        SealedRequest sealed = sealed("juspay", "default", "r-stale");
        clock.advance(Duration.ofMinutes(-10));
        String issuedTenMinutesEarlier = genuineBody(sealed, AnswerMode.NORMAL);
        clock.advance(Duration.ofMinutes(10));

        pipeline.answer(sealed, 200, issuedTenMinutesEarlier);
        TestRecord<byte[], byte[]> letter = onlySignatureLetter("EXPIRED");
        assertThat(header(letter, HeaderNames.ERROR_MESSAGE)).contains("older than PT5M");
        assertThat(text(letter.value())).doesNotContain(MARKER);
    }

    @Test
    void aDeadLetteredAnswerReplayedAfterItsCauseIsFixedBecomesTheOneResult() throws Exception {
        pipeline.close();
        Path keys = TestKeys.copy();
        Path providerKeys = TestKeys.copyOfSandboxKeys();
        pipeline = new PipelineDriver(Engines.config(null), clock, keys);
        provider = Engines.provider(pipeline.engine, providerKeys);
        SealedRequest sealed = sealed("socure", "default", "r-replay");
        // Socure rotates its signing key before telling us: its answer is signed with a kid we do not know yet
        // (the newest key signs; the files of the keysets are from a moment ago).
        RSAKey rotated = new RSAKeyGenerator(2048).keyID("socure-2027").issueTime(Date.from(Instant.now().plusSeconds(60))).generate();
        Files.writeString(providerKeys.resolve("socure/default/rotated.jwks.json"), new JWKSet(rotated).toString(false));

        pipeline.answer(sealed, 200, genuineBody(sealed, AnswerMode.NORMAL));
        TestRecord<byte[], byte[]> letter = onlySignatureLetter("UNKNOWN_KID");

        Files.writeString(keys.resolve("socure/default/rotated.jwks.json"), new JWKSet(rotated.toPublicJWK()).toString());
        pipeline.engine.keyRing().refreshAll();
        // What `dlq replay` does: the dead letter's value and headers, back onto the topic it came from.
        pipeline.sendRaw(pipeline.topics.responses().name(), letter.key(), letter.value(), letter.headers());
        PaymentResult result = onlyResult();
        assertThat(result.requestId()).isEqualTo("r-replay");
        assertThat(result.verifiedKid()).isEqualTo("socure-2027");

        pipeline.sendRaw(pipeline.topics.responses().name(), letter.key(), letter.value(), letter.headers());
        assertThat(pipeline.drain("payments.results")).isEmpty();
        assertThat(pipeline.counter("jps.duplicate.answers", Map.of("provider", "socure"))).isEqualTo(1);
    }

    private SealedRequest sealed(String name, String account, String requestId) {
        return pipeline.seal(Requests.typical(name, account, requestId));
    }

    private String genuineBody(SealedRequest request, AnswerMode mode) throws Exception {
        var opened = provider.openRequest(request.provider(), request.account(), request.path(), request.body());
        return provider.sealAnswer(request.provider(), request.account(),
                ("{\"echo\":\"" + MARKER + "\"}").getBytes(StandardCharsets.UTF_8), mode, opened.contentKey());
    }

    private PaymentResult onlyResult() throws Exception {
        TestRecord<byte[], byte[]> result = onlyLetter("payments.results");
        return Json.MAPPER.readValue(result.value(), PaymentResult.class);
    }

    private TestRecord<byte[], byte[]> onlySignatureLetter(String reason) {
        TestRecord<byte[], byte[]> letter = onlyLetter(pipeline.topics.dlqSignature().name());
        assertThat(header(letter, HeaderNames.ERROR_REASON)).isEqualTo(reason);
        assertThat(header(letter, HeaderNames.ERROR_STAGE)).isEqualTo("open");
        return letter;
    }

    private TestRecord<byte[], byte[]> onlyLetter(String topic) {
        List<TestRecord<byte[], byte[]>> records = pipeline.drain(topic);
        assertThat(records).as(topic).hasSize(1);
        return records.get(0);
    }

    private void assertDeadLettered(String topic, String reason, int count) {
        assertThat(pipeline.counter("jps.dlq.records", Map.of("topic", topic, "reason", reason))).isEqualTo(count);
    }
}
