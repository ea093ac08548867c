package io.jps.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.ProviderResponse;
import io.jps.support.Requests;
import io.jps.support.TestBroker;
import io.jps.topology.HeaderNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One poisoned record never stops the dispatcher: an answer too large for the topic becomes an OVERSIZED dead
 * letter (whether our own size check or the broker finds it too large), an answer that trickles in is cut off, and
 * the records after them are answered; liveness stays true. A loop that does die (its producer fenced, as a
 * zombie instance's is) turns liveness false.
 */
class DispatcherPoisonIT {

    private static final int TOPIC_MAX_MESSAGE_BYTES = 200_000;
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
    void carriesOnPastAnswersTooLargeForTheTopicAndOneThatTricklesIn() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            // smaller than the producer's max.request.size: only the broker can tell that an answer does not fit
            admin.createTopics(List.of(new NewTopic("poison.responses", 6, (short) 1)
                    .configs(Map.of("max.message.bytes", String.valueOf(TOPIC_MAX_MESSAGE_BYTES))))).all().get();
        }
        // 700 KB of quotes fits limits.maxAnswerBytes, but doubles when escaped into the ProviderResponse JSON
        try (ScriptedProvider provider = new ScriptedProvider()
                .at("/api/escaped", ScriptedProvider.Step.answer(200, "\"".repeat(700_000)))
                .at("/api/large", ScriptedProvider.Step.answer(200, "x".repeat(300_000)))
                .at("/api/trickle", ScriptedProvider.Step.trickle(10_000, 100))
                .otherwise(ScriptedProvider.Step.answer(200, "{\"ok\":true}"));
             DispatcherFixture fixture = new DispatcherFixture(broker, "poison", "  portone:\n    baseUrl: " + provider.baseUrl()
                     + "\n    allowPlainHttp: true\n"
                     + "    dispatch: {maxAttempts: 2, timeout: PT1S, initialBackoff: PT0.05S, maxBackoff: PT0.1S, maxInFlight: 1}\n")) {
            for (String path : List.of("/api/escaped", "/api/large", "/api/trickle", "/api/after-1", "/api/after-2")) {
                fixture.send(portOne(path));
            }

            List<ConsumerRecord<byte[], byte[]>> outcomes = fixture.awaitOutcomes(5, Duration.ofMinutes(2));

            Map<String, ConsumerRecord<byte[], byte[]>> byId = outcomes.stream().collect(Collectors.toMap(
                    r -> DispatcherFixture.header(r, HeaderNames.REQUEST_ID), r -> r));
            assertDeadLetter(byId.get("/api/escaped"), "OVERSIZED", "max.request.size");
            assertDeadLetter(byId.get("/api/large"), "OVERSIZED", "max.message.bytes");
            assertDeadLetter(byId.get("/api/trickle"), "RETRIES_EXHAUSTED", "HttpTimeoutException");
            for (String after : List.of("/api/after-1", "/api/after-2")) {
                assertThat(byId.get(after).topic()).isEqualTo("poison.responses");
                assertThat(Json.MAPPER.readValue(byId.get(after).value(), ProviderResponse.class).body()).isEqualTo("{\"ok\":true}");
            }
            assertThat(fixture.dispatcher.isAlive()).isTrue();
            assertThat(fixture.dispatcher.isPolling()).isTrue();
        }
    }

    @Test
    void aLoopThatDiesTurnsLivenessFalse() throws Exception {
        try (ScriptedProvider provider = new ScriptedProvider();
             // a fenced producer may wait max.block.ms for the coordinator before it gives up: not the default minute
             DispatcherFixture fixture = new DispatcherFixture(broker, "fenced", "  portone:\n    baseUrl: " + provider.baseUrl()
                     + "\n    allowPlainHttp: true\n", Map.of("producer." + ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000))) {
            fixture.send(portOne("/api/before"));
            fixture.awaitOutcomes(1);
            assertThat(fixture.dispatcher.isAlive()).isTrue();

            // another producer with the same transactional id fences the dispatcher's, as a newer instance fences a zombie
            try (KafkaProducer<byte[], byte[]> usurper = new KafkaProducer<>(fixture.kafka.producerProperties(),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                usurper.initTransactions();
                fixture.send(portOne("/api/after"));

                Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> !fixture.dispatcher.isAlive());
            }
            assertThat(fixture.dispatcher.isPolling()).isFalse();
        }
    }

    /** A PortOne request for {@code path}, with the path as its requestId: the provider's script goes by path. */
    private static PaymentRequest portOne(String path) {
        return new PaymentRequest(path, "portone", "default", null, "POST", path, null,
                Requests.json("{\"merchant_order_id\":\"" + path + "\",\"amount\":1}"));
    }

    private static void assertDeadLetter(ConsumerRecord<byte[], byte[]> record, String reason, String messagePart) {
        assertThat(record.topic()).isEqualTo("poison.dlq.dispatch");
        assertThat(DispatcherFixture.header(record, HeaderNames.ERROR_REASON)).isEqualTo(reason);
        assertThat(DispatcherFixture.header(record, HeaderNames.ERROR_MESSAGE)).contains(messagePart);
    }
}
