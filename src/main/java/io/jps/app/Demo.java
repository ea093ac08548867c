package io.jps.app;

import io.jps.attest.AttestationKey;
import io.jps.bench.SampleRequests;
import io.jps.config.ConfigLoader;
import io.jps.config.PipelineConfig;
import io.jps.config.TopicSpec;
import io.jps.config.Topics;
import io.jps.engine.Engine;
import io.jps.kafka.EmbeddedKafka;
import io.jps.kafka.KafkaConnection;
import io.jps.keys.KeysetGenerator;
import io.jps.profile.ProviderProfile;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.PaymentResult;
import io.jps.sandbox.FaultPlan.RequestClass;
import io.jps.sandbox.FaultRates;
import io.jps.sandbox.ProviderSandbox;
import io.jps.sandbox.SandboxSettings;
import io.jps.topology.HeaderNames;
import io.jps.topology.PipelineTopics;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.RecordComponent;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The embedded default: an in-process KRaft broker, the provider sandbox on loopback, throwaway keys, every
 * stage and the metrics endpoint, then a mixed batch of requests pushed through and accounted for.
 */
public final class Demo {

    private static final List<String> ACCOUNTS = List.of("default", "acme");
    /** Some of each fault the sandbox can play, so that every route of the pipeline shows in the summary. */
    private static final FaultRates FAULTS = FaultRates.NONE
            .with(RequestClass.DOWN, 0.005)
            .with(RequestClass.SERVER_ERROR_ONCE, 0.03)
            .with(RequestClass.RATE_LIMITED_ONCE, 0.01)
            .with(RequestClass.HANG_ONCE, 0.003)
            .with(RequestClass.RESET_ONCE, 0.01)
            .with(RequestClass.TAMPERED, 0.005)
            .with(RequestClass.WRONG_SIGNER, 0.005)
            .with(RequestClass.NOT_JOSE, 0.005)
            .withLatency(0.1);
    /** One request in this many names an operation its provider does not have: the request dead-letter route. */
    private static final int BAD_REQUEST_EVERY = 200;

    public record Options(int requests, long seed, boolean faults, int metricsPort, boolean keepRunning) {
    }

    private Demo() {
    }

    /** @return 0 when every request ended exactly once somewhere */
    public static int run(Options options, PrintWriter out) throws Exception {
        try (Running demo = start(options, out)) {
            if (options.keepRunning()) {
                out.println("Still running (Ctrl-C stops it).");
                out.flush();
                awaitInterrupt();
            }
            return demo.complete() ? 0 : 1;
        }
    }

    /**
     * Runs the batch, prints its summary and leaves everything running (what {@code --keep-running} keeps)
     * until the returned demo is closed.
     */
    public static Running start(Options options, PrintWriter out) throws Exception {
        Path dir = Files.createTempDirectory("jps-demo-");
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        parts.push(() -> deleteTree(dir));
        try {
            PipelineConfig defaults = ConfigLoader.defaults();
            out.println("Generating throwaway keys for " + String.join(", ", defaults.providers().keySet().stream().sorted().toList())
                    + " (accounts " + String.join(", ", ACCOUNTS) + ") ...");
            out.flush();
            for (ProviderProfile profile : defaults.providers().values()) {
                for (String account : ACCOUNTS) {
                    KeysetGenerator.generate(profile, account, dir.resolve("keys"), dir.resolve("sandbox-keys"), false);
                }
            }
            AttestationKey.createIfAbsent(dir.resolve("keys"));
            out.println("Starting an in-process Kafka broker (KRaft) and the provider sandbox ...");
            out.flush();
            SandboxSettings settings = SandboxSettings.wellBehaved(dir.resolve("sandbox-keys"))
                    .withFaults(options.seed(), options.faults() ? FAULTS : FaultRates.NONE)
                    .withDirectAnswerRate(options.faults() ? 0.3 : 0)
                    .withTimes(Duration.ofMillis(30), Duration.ofSeconds(3), Duration.ofSeconds(1));
            EmbeddedKafka kafka = push(parts, EmbeddedKafka.start(dir));
            ProviderSandbox sandbox = push(parts, ProviderSandbox.start(defaults, settings, Clock.systemUTC()));
            PipelineConfig config = ConfigLoader.load(overlay(dir, kafka.bootstrapServers(), sandbox, defaults), System.getenv());
            // the embedded broker is plaintext on loopback: a kafkaProperties file is for `run`'s cluster, not this one
            KafkaConnection connection = KafkaConnection.plaintext(kafka.bootstrapServers());
            Engine engine = push(parts, Engine.create(config, dir.resolve("keys"), System.getenv(), Clock.systemUTC()));
            PipelineNode node = push(parts, startNode(engine, connection, dir, options.metricsPort(), out));
            awaitReady(node);
            out.printf("Pipeline ready: seal/open stages, dispatcher, sandbox at %s; metrics at http://127.0.0.1:%d/metrics%n",
                    sandbox.baseUrl("juspay").resolve("/"), node.metricsPort());
            out.flush();
            long started = System.nanoTime();
            List<PaymentRequest> batch = batch(options.requests());
            PipelineTopics topics = new PipelineTopics(config);
            send(batch, topics, connection);
            List<ConsumerRecord<byte[], byte[]>> outcomes = collect(batch.size(), topics, connection);
            double seconds = (System.nanoTime() - started) / 1e9;
            boolean complete = DemoSummary.print(batch, outcomes, topics, seconds,
                    new DemoSummary.WhereToLook(node.metricsPort(), kafka.bootstrapServers(), options.keepRunning()), out);
            return new Running(parts, node.metricsPort(), complete);
        } catch (Exception | Error e) {
            try {
                new Running(parts, 0, false).close();
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** A demo whose batch is done, with its broker, sandbox and every stage still running until {@link #close()}. */
    public static final class Running implements AutoCloseable {

        private final Deque<AutoCloseable> parts;
        private final int metricsPort;
        private final boolean complete;

        private Running(Deque<AutoCloseable> parts, int metricsPort, boolean complete) {
            this.parts = parts;
            this.metricsPort = metricsPort;
            this.complete = complete;
        }

        public int metricsPort() {
            return metricsPort;
        }

        /** Whether every request of the batch ended exactly once. */
        public boolean complete() {
            return complete;
        }

        /** The stages first, then the sandbox and the broker, then the throwaway directory. */
        @Override
        public void close() throws Exception {
            Exception failure = null;
            while (!parts.isEmpty()) {
                try {
                    parts.pop().close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private static <T extends AutoCloseable> T push(Deque<AutoCloseable> parts, T part) {
        parts.push(part);
        return part;
    }

    private static PipelineNode startNode(Engine engine, KafkaConnection kafka, Path dir, int metricsPort, PrintWriter out)
            throws IOException, InterruptedException {
        try {
            return PipelineNode.start(engine, Role.ALL, kafka, dir.resolve("state"), "127.0.0.1", metricsPort);
        } catch (BindException e) {
            out.println("Port " + metricsPort + " is taken; serving metrics on a free port instead.");
            return PipelineNode.start(engine, Role.ALL, kafka, dir.resolve("state"), "127.0.0.1", 0);
        }
    }

    /**
     * The demo's own configuration: the embedded broker, one replica per topic (the production defaults would only
     * be capped to its single node, with a warning each), the sandbox's URLs, and timeouts that suit a laptop.
     */
    private static Path overlay(Path dir, String bootstrapServers, ProviderSandbox sandbox, PipelineConfig defaults)
            throws IOException {
        StringBuilder yaml = new StringBuilder("bootstrapServers: ").append(bootstrapServers).append('\n')
                .append("applicationId: jps-demo\ntopics:\n");
        for (RecordComponent topic : Topics.class.getRecordComponents()) {
            if (topic.getType() == TopicSpec.class) {
                yaml.append("  ").append(topic.getName()).append(": {replicationFactor: 1, minInsyncReplicas: 1}\n");
            }
        }
        yaml.append("providers:\n");
        for (String provider : defaults.providers().keySet()) {
            yaml.append("  ").append(provider).append(":\n")
                    .append("    baseUrl: ").append(sandbox.baseUrl(provider)).append('\n')
                    // the sandbox speaks plain HTTP on loopback only
                    .append("    allowPlainHttp: true\n")
                    .append("    dispatch: {timeout: PT2S, maxAttempts: 3, initialBackoff: PT0.1S, maxBackoff: PT0.5S}\n");
        }
        Path file = dir.resolve("demo.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static void awaitReady(PipelineNode node) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!node.isReady()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the pipeline did not become ready within 2 minutes");
            }
            Thread.sleep(100);
        }
    }

    private static List<PaymentRequest> batch(int size) {
        List<String> providers = List.of("juspay", "wise", "socure", "portone");
        List<PaymentRequest> batch = new ArrayList<>();
        // Every demo starts on an empty broker, so plain ids are unique; and the same seed meets the same faults.
        for (int i = 0; i < size; i++) {
            PaymentRequest request = SampleRequests.forProvider(providers.get(i % providers.size()),
                    ACCOUNTS.get((i / providers.size()) % ACCOUNTS.size()), "demo-" + i);
            if (i % BAD_REQUEST_EVERY == BAD_REQUEST_EVERY - 1) {
                request = new PaymentRequest(request.requestId(), request.provider(), request.account(), "no-such-operation",
                        null, null, request.key(), request.payload());
            }
            batch.add(request);
        }
        return batch;
    }

    private static void send(List<PaymentRequest> batch, PipelineTopics topics, KafkaConnection kafka) {
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 10))) {
            for (PaymentRequest request : batch) {
                producer.send(new ProducerRecord<>(topics.requests().name(), request.recordKey().getBytes(StandardCharsets.UTF_8),
                        Json.writeBytes(request)));
            }
        }
    }

    /** Reads results and dead letters until every request of the batch is accounted for (or 5 minutes pass). */
    private static List<ConsumerRecord<byte[], byte[]>> collect(int expected, PipelineTopics topics, KafkaConnection kafka) {
        List<String> names = new ArrayList<>(List.of(topics.dlqRequest().name(), topics.dlqDispatch().name(),
                topics.dlqDecryption().name(), topics.dlqSignature().name()));
        names.addAll(topics.resultTopics());
        List<ConsumerRecord<byte[], byte[]>> outcomes = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
             ProgressBar bar = new ProgressBarBuilder().setTaskName("requests").setInitialMax(expected)
                     .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).showSpeed().build()) {
            // Assigned, not subscribed: joining a group would hold the count back for seconds.
            List<TopicPartition> partitions = new ArrayList<>();
            for (String name : names) {
                consumer.partitionsFor(name).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (outcomes.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.headers().lastHeader(HeaderNames.REQUEST_ID) != null) {
                        outcomes.add(record);
                        bar.step();
                    }
                }
            }
        }
        return outcomes;
    }

    private static void awaitInterrupt() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "jps-demo-stop"));
        stopped.await();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
