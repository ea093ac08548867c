package io.jps.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.ProviderResponse;
import io.jps.support.Requests;
import io.jps.support.TestBroker;
import io.jps.support.TestKeys;
import io.jps.topology.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
            assertThat(DispatcherFixture.header(response, HeaderNames.SEALED_AT)).matches("\\d+");
            ProviderResponse value = Json.MAPPER.readValue(response.value(), ProviderResponse.class);
            assertThat(value.httpStatus()).isEqualTo(200);
            assertThat(value.body()).isEqualTo("{\"fine\":true}");
            assertThat(value.attempts()).isEqualTo(1);

            ConsumerRecord<byte[], byte[]> letter = outcomes.stream().filter(r -> r.topic().equals("outcomes.dlq.dispatch")).findFirst()
                    .orElseThrow();
            assertThat(DispatcherFixture.header(letter, HeaderNames.REQUEST_ID)).isEqualTo(exhausted);
            assertThat(DispatcherFixture.header(letter, HeaderNames.ERROR_REASON)).isEqualTo("RETRIES_EXHAUSTED");
            assertThat(DispatcherFixture.header(letter, HeaderNames.ERROR_STAGE)).isEqualTo("dispatch");
            assertThat(DispatcherFixture.header(letter, HeaderNames.ERROR_SOURCE_TOPIC)).isEqualTo("outcomes.sealed");

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
