package io.jps.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.config.PipelineConfig;
import io.jps.engine.Engine;
import io.jps.observe.PipelineMetrics;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.PaymentResult;
import io.jps.support.Engines;
import io.jps.support.KafkaClients;
import io.jps.support.ProviderPlayer.Answer;
import io.jps.support.ProviderPlayer;
import io.jps.support.Requests;
import io.jps.support.TestBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seal and open stages on a real broker, exactly-once: 2,000 requests over the four providers and two
 * accounts, answered by a player of the provider (valid, tampered, wrongly signed, duplicated, provider
 * errors, garbage, in known proportions). Every requestId must end exactly once in results or a
 * dead-letter topic, in the expected one, and the counts must match exactly.
 */
class PipelineIT {

    private static final List<String> PROVIDERS = List.of("juspay", "wise", "socure", "portone");
    private static final List<String> ACCOUNTS = List.of("default", "acme");
    private static final int REQUESTS = 2_000;

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /** What a request is, how the provider answers it, and where it must end. */
    private record Plan(PaymentRequest request, Answer answer, int copies, String destination) {
    }

    @Test
    void everyRequestEndsExactlyOnceInResultsOrTheRightDeadLetterTopic() throws Exception {
        PipelineConfig config = Engines.config("bootstrapServers: " + broker.bootstrapServers() + "\napplicationId: pipeline-it\n");
        Map<String, Plan> plans = plans();
        long started = System.nanoTime();
        try (Engine engine = Engines.engine(config, Clock.systemUTC())) {
            PipelineTopics topics = broker.createTopics(config);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            PipelineMetrics metrics = new PipelineMetrics(registry, config.providers().keySet());
            try (SealOpenStages stages = SealOpenStages.start(engine, engine.attestor(), topics, metrics, broker.connection(), stateDir());
                 KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker.bootstrapServers())) {
                Awaitility.await().atMost(Duration.ofMinutes(1)).until(stages::isRunning);
                for (Plan plan : plans.values()) {
                    producer.send(new ProducerRecord<>(topics.requests().name(), plan.request().recordKey().getBytes(StandardCharsets.UTF_8),
                            Json.writeBytes(plan.request())));
                }
                producer.flush();
                long sealedCount = plans.values().stream().filter(p -> p.answer() != null).count();
                int answered = answerAsTheProvider(engine, topics, plans, producer, (int) sealedCount);
                assertThat(answered).isEqualTo(sealedCount);

                Map<String, List<String>> endings = endings(topics, plans.size());
                long wallMillis = (System.nanoTime() - started) / 1_000_000;

                Map<String, Integer> expectedCounts = new TreeMap<>();
                plans.values().forEach(p -> expectedCounts.merge(p.destination(), 1, Integer::sum));
                Map<String, Integer> actualCounts = new TreeMap<>();
                endings.values().forEach(list -> list.forEach(d -> actualCounts.merge(d, 1, Integer::sum)));
                System.out.printf("PipelineIT: %d requests, endings %s, duplicates dropped %.0f, wall time %d ms%n",
                        plans.size(), actualCounts, registry.find("jps.duplicate.answers").counters().stream()
                                .mapToDouble(c -> c.count()).sum(), wallMillis);

                assertThat(endings.keySet()).containsExactlyInAnyOrderElementsOf(plans.keySet());
                plans.forEach((id, plan) -> assertThat(endings.get(id)).as(id).containsExactly(plan.destination()));
                assertThat(actualCounts).isEqualTo(expectedCounts);
                long duplicates = plans.values().stream().filter(p -> p.copies() == 2).count();
                assertThat(registry.find("jps.duplicate.answers").counters().stream().mapToDouble(c -> c.count()).sum())
                        .isEqualTo(duplicates);
            }
        }
    }

    /** Reads sealed requests as they come and answers each per its plan, until every expected one is answered. */
    private static int answerAsTheProvider(Engine engine, PipelineTopics topics, Map<String, Plan> plans,
                                           KafkaProducer<byte[], byte[]> producer, int expected) throws Exception {
        ProviderPlayer player = new ProviderPlayer(engine, topics.responses().name());
        Set<String> answered = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        try (KafkaConsumer<byte[], byte[]> sealed = KafkaClients.consumer(broker.bootstrapServers(), List.of(topics.sealed().name()))) {
            while (answered.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : sealed.poll(Duration.ofMillis(200))) {
                    String id = ProviderPlayer.requestId(record);
                    assertThat(answered.add(id)).as("sealed once: " + id).isTrue();
                    Plan plan = plans.get(id);
                    for (int copy = 0; copy < plan.copies(); copy++) {
                        producer.send(player.answer(record, plan.answer()));
                    }
                }
            }
            producer.flush();
        }
        return answered.size();
    }

    /** Where each requestId ended: the names of the topics holding a record for it. */
    private static Map<String, List<String>> endings(PipelineTopics topics, int expected) {
        Map<String, String> names = Map.of(
                "payments.results", "results",
                topics.dlqRequest().name(), "dlq.request",
                topics.dlqDecryption().name(), "dlq.decryption",
                topics.dlqSignature().name(), "dlq.signature");
        List<ConsumerRecord<byte[], byte[]>> records = KafkaClients.readUntilQuiet(broker.bootstrapServers(),
                List.copyOf(names.keySet()), expected, Duration.ofSeconds(4), Duration.ofMinutes(3));
        Map<String, List<String>> endings = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String id = ProviderPlayer.requestId(record);
            if (record.topic().equals("payments.results")) {
                try {
                    assertThat(Json.MAPPER.readValue(record.value(), PaymentResult.class).requestId()).isEqualTo(id);
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }
            endings.computeIfAbsent(id, k -> new java.util.ArrayList<>()).add(names.get(record.topic()));
        }
        return endings;
    }

    private static Map<String, Plan> plans() {
        Map<String, Plan> plans = new java.util.LinkedHashMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            String provider = PROVIDERS.get(i % 4);
            String account = ACCOUNTS.get((i / 4) % 2);
            int k = i / 8;
            String id = "it-" + i;
            PaymentRequest typical = Requests.typical(provider, account, id);
            if (k % 50 == 49) {
                plans.put(id, new Plan(new PaymentRequest(id, provider, account, "no-such-operation", null, null, null,
                        typical.payload()), null, 0, "dlq.request"));
                continue;
            }
            boolean signed = provider.equals("juspay") || provider.equals("socure");
            Plan plan = switch (k % 10) {
                case 0 -> provider.equals("portone") ? new Plan(typical, Answer.GARBAGE, 1, "dlq.decryption")
                        : new Plan(typical, Answer.TAMPERED, 1, "dlq.decryption");
                case 1 -> signed ? new Plan(typical, Answer.WRONGLY_SIGNED, 1, "dlq.signature")
                        : provider.equals("wise") ? new Plan(typical, Answer.GARBAGE, 1, "dlq.decryption")
                        : new Plan(typical, Answer.PROVIDER_ERROR, 1, "results");
                case 2 -> new Plan(typical, Answer.VALID, 2, "results");
                default -> new Plan(typical, Answer.VALID, 1, "results");
            };
            plans.put(id, plan);
        }
        return plans;
    }

    private static Path stateDir() throws java.io.IOException {
        Files.createDirectories(Path.of("target"));
        return Files.createTempDirectory(Path.of("target"), "streams-it-");
    }
}
