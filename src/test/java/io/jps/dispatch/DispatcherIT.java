package io.jps.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.ProviderResponse;
import io.jps.record.SealedRequest;
import io.jps.support.KafkaClients;
import io.jps.support.Requests;
import io.jps.support.TestBroker;
import io.jps.support.TestKeys;
import io.jps.topology.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The dispatcher on a real broker against a scripted provider: ordering per key, where outcomes go, what is on the wire. */
class DispatcherIT {

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void sendsRecordsOfOneKeyOneAfterAnotherAndDifferentKeysAtOnce() throws Exception {
        try (ScriptedProvider provider = new ScriptedProvider().otherwise(ScriptedProvider.Step.together(200, "{}"));
             DispatcherFixture fixture = fixture("order", provider)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(fixture.send(portOne("a-" + i, "key-a")));
                ids.add(fixture.send(portOne("b-" + i, "key-b")));
            }
            fixture.awaitOutcomes(ids.size());

            List<ScriptedProvider.Received> received = provider.received();
            Map<String, List<ScriptedProvider.Received>> byKey = received.stream()
                    .collect(Collectors.groupingBy(r -> requestIdOf(r).substring(0, 1)));
            assertThat(byKey.keySet()).containsExactlyInAnyOrder("a", "b");
            for (List<ScriptedProvider.Received> oneKey : byKey.values()) {
                assertThat(oneKey).extracting(DispatcherIT::requestIdOf).isSorted();
                for (int i = 1; i < oneKey.size(); i++) {
                    // the next one of a key arrives only after the answer to the one before it was sent
                    assertThat(oneKey.get(i).arrived()).isGreaterThan(provider.answeredAt(oneKey.get(i - 1)));
                }
            }
            // every answer waited for a request of the other key: both keys were in flight together
            assertThat(provider.mostAtOnce()).as("requests at the provider at one moment").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void writesAnswersWithTheRequestsHeadersAndGivesUpIntoTheDispatchDeadLetterTopic() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        try (ScriptedProvider provider = new ScriptedProvider()
                .then(ScriptedProvider.Step.answer(200, "{\"fine\":true}"))
                .otherwise(ScriptedProvider.Step.answer(503, "down"));
             DispatcherFixture fixture = fixture("outcomes", provider)) {
            String answered = fixture.send(portOne("ok-1", "k1"));
            fixture.awaitOutcomes(1);
            String exhausted = fixture.send(portOne("down-1", "k2"));
            List<ConsumerRecord<byte[], byte[]>> outcomes = fixture.awaitOutcomes(2);

            ConsumerRecord<byte[], byte[]> response = outcomes.stream().filter(r -> r.topic().equals("outcomes.responses")).findFirst()
                    .orElseThrow();
            assertThat(DispatcherFixture.header(response, HeaderNames.REQUEST_ID)).isEqualTo(answered);
            ProviderResponse value = Json.MAPPER.readValue(response.value(), ProviderResponse.class);
            assertThat(fixture.engine.attestor().verifies(value, DispatcherFixture.header(response, HeaderNames.ATTESTATION))).isTrue();
            assertThat(value.httpStatus()).isEqualTo(200);
            assertThat(value.body()).isEqualTo("{\"fine\":true}");
            assertThat(value.attempts()).isEqualTo(1);

            ConsumerRecord<byte[], byte[]> letter = outcomes.stream().filter(r -> r.topic().equals("outcomes.dlq.dispatch")).findFirst()
                    .orElseThrow();
            assertThat(DispatcherFixture.header(letter, HeaderNames.REQUEST_ID)).isEqualTo(exhausted);
            assertThat(DispatcherFixture.header(letter, HeaderNames.ERROR_REASON)).isEqualTo("RETRIES_EXHAUSTED");
            assertThat(DispatcherFixture.header(letter, HeaderNames.ERROR_STAGE)).isEqualTo("dispatch");
            assertThat(DispatcherFixture.header(letter, HeaderNames.ERROR_SOURCE_TOPIC)).isEqualTo("outcomes.sealed");
            assertThat(fixture.registry.find("jps.dlq.records").tag("topic", "outcomes.dlq.dispatch")
                    .tag("reason", "RETRIES_EXHAUSTED").counter().count()).isEqualTo(1);

            for (ConsumerRecord<byte[], byte[]> record : outcomes) {
                assertThat(new String(record.value(), StandardCharsets.UTF_8)).doesNotContain("Bearer");
                record.headers().forEach(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8)).doesNotContain("Bearer"));
            }
            assertThat(provider.received()).allSatisfy(r -> assertThat(r.header("Authorization")).startsWith("Bearer "));
            String hmacSecret = TestKeys.secret("portone", "hmac-secret");
            assertThat(logs.list).isNotEmpty().allSatisfy(event -> assertThat(event.getFormattedMessage())
                    .doesNotContain("Bearer").doesNotContain("eyJ").doesNotContain(hmacSecret).doesNotContain("merchant_order_id"));
        } finally {
            root.detachAppender(logs);
        }
    }

    @Test
    void sendsOnlyWhatTheSealStageAttestedAndAnswersIntoThePartitionOfTheSealedRequest() throws Exception {
        try (ScriptedProvider provider = new ScriptedProvider().otherwise(ScriptedProvider.Step.answer(200, "{\"fine\":true}"));
             DispatcherFixture fixture = fixture("attested", provider)) {
            SealedRequest forged = fixture.engine.sealer().seal(portOne("forged-1", "k-forged")).request();
            fixture.sendSealed(forged, "k-forged", null);
            SealedRequest changed = fixture.engine.sealer().seal(portOne("changed-1", "k-changed")).request();
            String attestation = fixture.engine.attestor().attest(changed);
            fixture.sendSealed(new SealedRequest(changed.requestId(), changed.provider(), changed.account(), changed.method(),
                    changed.path(), changed.headers(), changed.body().replace("\"amount\":1", "\"amount\":1000000"),
                    changed.sealedAt()), "k-changed", attestation);
            List<String> genuine = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                genuine.add(fixture.send(portOne("genuine-" + i, "key-" + i)));
            }

            List<ConsumerRecord<byte[], byte[]>> outcomes = fixture.awaitOutcomes(14);
            List<ConsumerRecord<byte[], byte[]>> letters = outcomes.stream()
                    .filter(r -> r.topic().equals("attested.dlq.dispatch")).toList();
            assertThat(letters).extracting(r -> DispatcherFixture.header(r, HeaderNames.REQUEST_ID))
                    .containsExactlyInAnyOrder("forged-1", "changed-1");
            assertThat(letters).allSatisfy(r -> assertThat(DispatcherFixture.header(r, HeaderNames.ERROR_REASON)).isEqualTo("UNATTESTED"));
            assertThat(provider.received()).extracting(DispatcherIT::requestIdOf).containsExactlyInAnyOrderElementsOf(genuine);
            assertThat(fixture.registry.find("jps.dlq.records").tag("topic", "attested.dlq.dispatch").tag("reason", "UNATTESTED")
                    .counter().count()).isEqualTo(2);

            Map<String, Integer> sealedPartitions = new HashMap<>();
            KafkaClients.readUntilQuiet(broker.bootstrapServers(), List.of("attested.sealed"), 14, Duration.ofSeconds(1),
                    Duration.ofSeconds(30)).forEach(r -> sealedPartitions.put(DispatcherFixture.header(r, HeaderNames.REQUEST_ID),
                    r.partition()));
            for (ConsumerRecord<byte[], byte[]> answer : outcomes) {
                if (answer.topic().equals("attested.responses")) {
                    assertThat(answer.partition()).as("the partition of its sealed request")
                            .isEqualTo(sealedPartitions.get(DispatcherFixture.header(answer, HeaderNames.REQUEST_ID)));
                }
            }
        }
    }

    private static PaymentRequest portOne(String requestId, String key) {
        return new PaymentRequest(requestId, "portone", "default", null, "POST", "/api/paymentLink", key,
                Requests.json("{\"merchant_order_id\":\"" + requestId + "\",\"amount\":1}"));
    }

    private static String requestIdOf(ScriptedProvider.Received received) {
        return Requests.json(received.body()).get("merchant_order_id").asText();
    }

    private static DispatcherFixture fixture(String name, ScriptedProvider provider) {
        return new DispatcherFixture(broker, name, "  portone:\n    baseUrl: " + provider.baseUrl() + "\n    allowPlainHttp: true\n"
                + "    dispatch: {maxAttempts: 3, timeout: PT10S, initialBackoff: PT0.05S, maxBackoff: PT0.1S}\n");
    }
}
