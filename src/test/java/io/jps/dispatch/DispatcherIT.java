package io.jps.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jps.config.PipelineConfig;
import io.jps.engine.Engine;
import io.jps.observe.PipelineMetrics;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.ProviderResponse;
import io.jps.seal.Sealed;
import io.jps.support.Engines;
import io.jps.support.KafkaClients;
import io.jps.support.Requests;
import io.jps.support.TestBroker;
import io.jps.support.TestKeys;
import io.jps.topology.HeaderNames;
import io.jps.topology.PipelineTopics;
import io.jps.topology.RecordIdentity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
        try (ScriptedProvider provider = new ScriptedProvider().otherwise(new ScriptedProvider.Step(200, Map.of(), "{}", 150));
             Fixture fixture = new Fixture("order", provider)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(fixture.send(portOne("a-" + i, "key-a")));
                ids.add(fixture.send(portOne("b-" + i, "key-b")));
            }
            fixture.awaitOutcomes(ids.size());

            List<ScriptedProvider.Received> received = provider.received();
            Map<String, List<ScriptedProvider.Received>> byKey = received.stream()
                    .collect(Collectors.groupingBy(r -> requestIdOf(r).substring(0, 1)));
            for (List<ScriptedProvider.Received> oneKey : byKey.values()) {
                assertThat(oneKey).extracting(DispatcherIT::requestIdOf).isSorted();
                for (int i = 1; i < oneKey.size(); i++) {
                    // the next one of a key leaves only after the previous answer (150 ms) came back
                    assertThat(oneKey.get(i).atNanos() - oneKey.get(i - 1).atNanos())
                            .isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
                }
            }
            long overlapping = received.stream().filter(r -> received.stream().anyMatch(other -> other != r
                    && !requestIdOf(other).startsWith(requestIdOf(r).substring(0, 1))
                    && Math.abs(other.atNanos() - r.atNanos()) < Duration.ofMillis(150).toNanos())).count();
            assertThat(overlapping).as("the two keys were sent concurrently").isPositive();
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
             Fixture fixture = new Fixture("outcomes", provider)) {
            String answered = fixture.send(portOne("ok-1", "k1"));
            fixture.awaitOutcomes(1);
            String exhausted = fixture.send(portOne("down-1", "k2"));
            List<ConsumerRecord<byte[], byte[]>> outcomes = fixture.awaitOutcomes(2);

            ConsumerRecord<byte[], byte[]> response = outcomes.stream().filter(r -> r.topic().equals("outcomes.responses")).findFirst()
                    .orElseThrow();
            assertThat(header(response, HeaderNames.REQUEST_ID)).isEqualTo(answered);
            ProviderResponse value = Json.MAPPER.readValue(response.value(), ProviderResponse.class);
            assertThat(fixture.engine.attestor().verifies(value, header(response, HeaderNames.ATTESTATION))).isTrue();
            assertThat(value.httpStatus()).isEqualTo(200);
            assertThat(value.body()).isEqualTo("{\"fine\":true}");
            assertThat(value.attempts()).isEqualTo(1);

            ConsumerRecord<byte[], byte[]> letter = outcomes.stream().filter(r -> r.topic().equals("outcomes.dlq.dispatch")).findFirst()
                    .orElseThrow();
            assertThat(header(letter, HeaderNames.REQUEST_ID)).isEqualTo(exhausted);
            assertThat(header(letter, HeaderNames.ERROR_REASON)).isEqualTo("RETRIES_EXHAUSTED");
            assertThat(header(letter, HeaderNames.ERROR_STAGE)).isEqualTo("dispatch");
            assertThat(header(letter, HeaderNames.ERROR_SOURCE_TOPIC)).isEqualTo("outcomes.sealed");

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

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A dispatcher of its own (own group, own topics) pointed at the scripted provider. */
    private static final class Fixture implements AutoCloseable {
        private final Engine engine;
        private final PipelineTopics topics;
        private final Dispatcher dispatcher;
        private final KafkaProducer<byte[], byte[]> producer;

        Fixture(String name, ScriptedProvider provider) throws Exception {
            String prefix = name + ".";
            PipelineConfig config = Engines.config("bootstrapServers: " + broker.bootstrapServers() + "\n"
                    + "dispatcher: {groupId: dispatcher-" + name + "}\n"
                    + "topics:\n  sealed: {name: " + prefix + "sealed}\n  responses: {name: " + prefix + "responses}\n"
                    + "  dlqDispatch: {name: " + prefix + "dlq.dispatch}\n"
                    + "providers:\n  portone:\n    baseUrl: " + provider.baseUrl() + "\n"
                    + "    dispatch: {maxAttempts: 3, timeout: PT2S, initialBackoff: PT0.05S, maxBackoff: PT0.1S}\n");
            engine = Engines.engine(config, Clock.systemUTC());
            topics = broker.createTopics(config);
            dispatcher = Dispatcher.start(engine, engine.attestor(), topics, new PipelineMetrics(new SimpleMeterRegistry(),
                    config.providers().keySet()), broker.connection());
            producer = KafkaClients.producer(broker.bootstrapServers());
        }

        /** Puts a request on the sealed topic as the seal stage would, and returns its requestId. */
        String send(PaymentRequest request) throws Exception {
            Sealed sealed = engine.sealer().seal(request);
            RecordHeaders headers = new RecordHeaders();
            new RecordIdentity(request.requestId(), request.provider(), request.account()).writeTo(headers);
            headers.add(HeaderNames.ATTESTATION, engine.attestor().attest(sealed.request()).getBytes(StandardCharsets.US_ASCII));
            producer.send(new ProducerRecord<>(topics.sealed().name(), null, request.recordKey().getBytes(StandardCharsets.UTF_8),
                    Json.writeBytes(sealed.request()), headers)).get();
            return request.requestId();
        }

        List<ConsumerRecord<byte[], byte[]>> awaitOutcomes(int count) {
            List<ConsumerRecord<byte[], byte[]>> records = KafkaClients.readUntilQuiet(broker.bootstrapServers(),
                    List.of(topics.responses().name(), topics.dlqDispatch().name()), count, Duration.ofSeconds(1), Duration.ofSeconds(60));
            assertThat(records).hasSize(count);
            return records;
        }

        @Override
        public void close() {
            dispatcher.close();
            producer.close();
            engine.close();
        }
    }
}
