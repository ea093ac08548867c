package io.jps.app;

import io.jps.attest.AttestationKey;
import io.jps.config.ConfigLoader;
import io.jps.config.PipelineConfig;
import io.jps.config.TopicSpec;
import io.jps.config.Topics;
import io.jps.engine.Engine;
import io.jps.kafka.EmbeddedKafka;
import io.jps.kafka.KafkaConnection;
import io.jps.keys.KeysetGenerator;
import io.jps.profile.ProviderProfile;
import io.jps.sandbox.ProviderSandbox;
import io.jps.sandbox.SandboxSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.RecordComponent;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The embedded default that {@code demo} and {@code bench refunds} run on: an in-process KRaft broker, the provider
 * sandbox on loopback, throwaway keys for every provider and two accounts, and one node running every stage and the
 * metrics endpoint, all in a throwaway directory.
 */
public final class EmbeddedPipeline implements AutoCloseable {

    public static final List<String> ACCOUNTS = List.of("default", "acme");

    /**
     * @param sandbox  how the sandbox differs from a well-behaved one (faults, times)
     * @param dispatch the {@code dispatch} settings every provider gets, as a YAML flow mapping
     */
    public record Options(UnaryOperator<SandboxSettings> sandbox, int metricsPort, String dispatch) {
    }

    private final Deque<AutoCloseable> parts;
    private final Path dir;
    private final KafkaConnection connection;
    private final ProviderSandbox sandbox;
    private final PipelineConfig config;
    private final PipelineNode node;

    private EmbeddedPipeline(Deque<AutoCloseable> parts, Path dir, KafkaConnection connection, ProviderSandbox sandbox,
                             PipelineConfig config, PipelineNode node) {
        this.parts = parts;
        this.dir = dir;
        this.connection = connection;
        this.sandbox = sandbox;
        this.config = config;
        this.node = node;
    }

    public static EmbeddedPipeline start(Options options, PrintWriter out) throws Exception {
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
            EmbeddedKafka kafka = push(parts, EmbeddedKafka.start(dir));
            ProviderSandbox sandbox = push(parts, ProviderSandbox.start(defaults,
                    options.sandbox().apply(SandboxSettings.wellBehaved(dir.resolve("sandbox-keys"))), Clock.systemUTC()));
            PipelineConfig config = ConfigLoader.load(overlay(dir, kafka.bootstrapServers(), sandbox, defaults, options.dispatch()),
                    System.getenv());
            // the embedded broker is plaintext on loopback: a kafkaProperties file is for `run`'s cluster, not this one
            KafkaConnection connection = KafkaConnection.plaintext(kafka.bootstrapServers());
            Engine engine = push(parts, Engine.create(config, dir.resolve("keys"), System.getenv(), Clock.systemUTC()));
            PipelineNode node = push(parts, startNode(engine, connection, dir, options.metricsPort(), out));
            awaitReady(node);
            return new EmbeddedPipeline(parts, dir, connection, sandbox, config, node);
        } catch (Exception | Error e) {
            closeAll(parts, e);
            throw e;
        }
    }

    public String bootstrapServers() {
        return connection.bootstrapServers();
    }

    /** How every client of this pipeline's broker connects. */
    public KafkaConnection connection() {
        return connection;
    }

    public ProviderSandbox sandbox() {
        return sandbox;
    }

    public PipelineConfig config() {
        return config;
    }

    public int metricsPort() {
        return node.metricsPort();
    }

    /** Our keysets, for a command run against this pipeline ({@code --keys}). */
    public Path keys() {
        return dir.resolve("keys");
    }

    /** This pipeline's configuration overlay, for a command run against it ({@code --config}). */
    public Path configFile() {
        return dir.resolve("demo.yaml");
    }

    /** A directory that goes away with the pipeline. */
    public Path workDir() {
        return dir;
    }

    /** The stages first, then the sandbox and the broker, then the throwaway directory. */
    @Override
    public void close() throws Exception {
        closeAll(parts, null);
    }

    private static void closeAll(Deque<AutoCloseable> parts, Throwable cause) throws Exception {
        Exception failure = null;
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                } else if (failure == null) {
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

    /** The embedded broker (one node: replication 1), the sandbox's URLs, and the dispatch settings asked for. */
    private static Path overlay(Path dir, String bootstrapServers, ProviderSandbox sandbox, PipelineConfig defaults, String dispatch)
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
                    .append("    dispatch: ").append(dispatch).append('\n');
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

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
