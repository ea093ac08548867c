package io.jps.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.bench.SampleRequests;
import io.jps.config.ConfigLoader;
import io.jps.config.PipelineConfig;
import io.jps.dispatch.IdempotencyKeys;
import io.jps.engine.Engine;
import io.jps.observe.PipelineMetrics;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.PaymentResult;
import io.jps.sandbox.FaultPlan.RequestClass;
import io.jps.sandbox.FaultPlan;
import io.jps.sandbox.FaultRates;
import io.jps.sandbox.ProviderSandbox;
import io.jps.sandbox.SandboxSettings;
import io.jps.support.KafkaClients;
import io.jps.support.ProviderPlayer;
import io.jps.support.TestBroker;
import io.jps.support.TestKeys;
import io.jps.topology.PipelineTopics;
import io.jps.topology.SealOpenStages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The whole loop on one machine: 5,000 requests over the four providers and two accounts, sealed and opened
 * by the stages, sent by the dispatcher (the shipped jar, in a process of its own) to the sandbox with
 * faults switched on. The dispatcher is killed (SIGKILL) midway and started again. Every requestId must end
 * exactly once in results or a dead-letter topic, where the sandbox's fault plan says, with exact counts.
 */
class FullLoopIT {

    private static final int REQUESTS = 5_000;
    private static final List<String> PROVIDERS = List.of("juspay", "wise", "socure", "portone");
    private static final List<String> ACCOUNTS = List.of("default", "acme");
    private static final long SEED = 77;
    private static final FaultRates FAULTS = FaultRates.NONE
            .with(RequestClass.DOWN, 0.02)
            .with(RequestClass.SERVER_ERROR_ONCE, 0.04)
            .with(RequestClass.RATE_LIMITED_ONCE, 0.02)
            .with(RequestClass.HANG_ONCE, 0.01)
            .with(RequestClass.RESET_ONCE, 0.02)
            .with(RequestClass.TAMPERED, 0.02)
            .with(RequestClass.WRONG_SIGNER, 0.02)
            .with(RequestClass.NOT_JOSE, 0.01)
            .withLatency(0.05);
    private static final Path JAR = Path.of("target", "jose-payment-streams.jar");

    @Test
    void everyRequestEndsExactlyOnceWhereTheFaultPlanSaysDespiteAKilledDispatcher() throws Exception {
        assertThat(JAR).as("the shaded jar (built by `mvn package`)").exists();
        long started = System.nanoTime();
        SandboxSettings settings = SandboxSettings.wellBehaved(TestKeys.sandboxKeys()).withFaults(SEED, FAULTS)
                .withDirectAnswerRate(0.3).withTimes(Duration.ofMillis(20), Duration.ofMillis(2_500), Duration.ofSeconds(1));
        try (TestBroker broker = TestBroker.start();
             ProviderSandbox sandbox = ProviderSandbox.start(ConfigLoader.defaults(), settings, Clock.systemUTC())) {
            Path overlay = overlay(broker.bootstrapServers(), sandbox);
            PipelineConfig config = ConfigLoader.load(overlay, Map.of());
            PipelineTopics topics = broker.createTopics(config);
            Map<String, String> expected = plan(sandbox.plan());
            try (Engine engine = Engine.create(config, TestKeys.keys(), Map.of(), Clock.systemUTC());
                 SealOpenStages stages = SealOpenStages.start(engine, engine.attestor(), topics,
                         new PipelineMetrics(new SimpleMeterRegistry(), config.providers().keySet()), broker.connection(),
                         Files.createTempDirectory(Path.of("target"), "loop-state-"));
                 KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker.bootstrapServers());
                 Outcomes outcomes = new Outcomes(broker.bootstrapServers(), topics)) {
                Awaitility.await().atMost(Duration.ofMinutes(1)).until(stages::isRunning);
                Process first = dispatcher(overlay, "first");
                for (int i = 0; i < REQUESTS; i++) {
                    PaymentRequest request = request(i);
                    producer.send(new ProducerRecord<>(topics.requests().name(), request.recordKey().getBytes(StandardCharsets.UTF_8),
                            Json.writeBytes(request)));
                }
                producer.flush();

                outcomes.awaitAtLeast(REQUESTS / 3, Duration.ofMinutes(3));
                first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                int atKill = outcomes.count();
                Process second = dispatcher(overlay, "second");
                try {
                    outcomes.awaitAtLeast(REQUESTS, Duration.ofMinutes(5));
                    outcomes.awaitQuiet(Duration.ofSeconds(5));
                } finally {
                    second.destroy();
                    second.waitFor(60, TimeUnit.SECONDS);
                }
                long wallMillis = (System.nanoTime() - started) / 1_000_000;

                Map<String, List<String>> endings = outcomes.endings();
                Map<String, Integer> expectedCounts = new TreeMap<>();
                expected.values().forEach(d -> expectedCounts.merge(d, 1, Integer::sum));
                Map<String, Integer> actualCounts = new TreeMap<>();
                endings.values().forEach(list -> list.forEach(d -> actualCounts.merge(d, 1, Integer::sum)));
                System.out.printf("FullLoopIT: %d requests, %d outcomes when the dispatcher was killed, endings %s, "
                                + "wall time %d ms (%.0f requests/s)%n", REQUESTS, atKill, actualCounts, wallMillis,
                        REQUESTS * 1000.0 / wallMillis);

                assertThat(endings.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
                expected.forEach((id, destination) -> assertThat(endings.get(id)).as(id).containsExactly(destination));
                assertThat(actualCounts).isEqualTo(expectedCounts);
                assertThat(outcomes.failedResults()).isZero();
            }
        }
    }

    /** Each request keyed by its own order: requests of one key are sent one after another, by design. */
    private static PaymentRequest request(int i) {
        return SampleRequests.forProvider(PROVIDERS.get(i % 4), ACCOUNTS.get((i / 4) % 2), "loop-" + i);
    }

    /** Where each request must end, from the sandbox's plan for its idempotency key and what its profile can show. */
    private static Map<String, String> plan(FaultPlan plan) {
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            PaymentRequest request = request(i);
            boolean signed = request.provider().equals("juspay") || request.provider().equals("socure");
            boolean sealed = !request.provider().equals("portone");
            String destination = switch (plan.classify(IdempotencyKeys.of(request.provider(), request.account(), request.requestId()))) {
                case DOWN -> "dlq.dispatch";
                case TAMPERED -> sealed ? "dlq.decryption" : "results";
                case WRONG_SIGNER -> signed ? "dlq.signature" : "results";
                case NOT_JOSE -> "dlq.decryption";
                default -> "results";
            };
            expected.put(request.requestId(), destination);
        }
        return expected;
    }

    private static Path overlay(String bootstrapServers, ProviderSandbox sandbox) throws IOException {
        StringBuilder yaml = new StringBuilder("bootstrapServers: ").append(bootstrapServers).append('\n')
                .append("applicationId: full-loop\n")
                .append("dispatcher: {groupId: full-loop-dispatcher, drainTimeout: PT10S}\n")
                .append("providers:\n");
        for (String provider : PROVIDERS) {
            yaml.append("  ").append(provider).append(":\n")
                    .append("    baseUrl: ").append(sandbox.baseUrl(provider)).append('\n')
                    .append("    allowPlainHttp: true\n")
                    .append("    dispatch: {timeout: PT1S, maxAttempts: 3, initialBackoff: PT0.05S, maxBackoff: PT0.2S, ")
                    .append("maxTotalTime: PT20S, rateLimit: 0}\n");
        }
        Path file = Files.createTempFile(Path.of("target"), "full-loop-", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** The dispatcher as users run it: the shipped jar, its own process. */
    private static Process dispatcher(Path overlay, String name) throws IOException {
        Path log = Path.of("target", "full-loop-dispatcher-" + name + ".log");
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(),
                "run", "--role", "dispatcher", "--keys", TestKeys.keys().toString(), "--config", overlay.toString(),
                "--metrics-port", "0", "--state-dir", Files.createTempDirectory(Path.of("target"), "loop-dispatcher-").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Everything that arrives on the result and dead-letter topics, read continuously. */
    private static final class Outcomes implements AutoCloseable {
        private final Map<String, String> names = new HashMap<>();
        private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        private final KafkaConsumer<byte[], byte[]> consumer;

        Outcomes(String bootstrapServers, PipelineTopics topics) {
            names.put("payments.results", "results");
            names.put(topics.dlqDispatch().name(), "dlq.dispatch");
            names.put(topics.dlqDecryption().name(), "dlq.decryption");
            names.put(topics.dlqSignature().name(), "dlq.signature");
            names.put(topics.dlqRequest().name(), "dlq.request");
            consumer = KafkaClients.consumer(bootstrapServers, List.copyOf(names.keySet()));
        }

        int count() {
            return records.size();
        }

        void awaitAtLeast(int count, Duration max) {
            long deadline = System.nanoTime() + max.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }

        void awaitQuiet(Duration quiet) {
            long last = System.nanoTime();
            while (System.nanoTime() - last < quiet.toNanos()) {
                var batch = consumer.poll(Duration.ofMillis(200));
                if (!batch.isEmpty()) {
                    batch.forEach(records::add);
                    last = System.nanoTime();
                }
            }
        }

        Map<String, List<String>> endings() {
            Map<String, List<String>> endings = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                endings.computeIfAbsent(ProviderPlayer.requestId(record), k -> new ArrayList<>()).add(names.get(record.topic()));
            }
            return endings;
        }

        long failedResults() throws IOException {
            long failed = 0;
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (record.topic().equals("payments.results")
                        && Json.MAPPER.readValue(record.value(), PaymentResult.class).outcome() != PaymentResult.Outcome.SUCCEEDED) {
                    failed++;
                }
            }
            return failed;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
