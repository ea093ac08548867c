package io.jps.support;

import io.jps.app.PipelineNode;
import io.jps.app.Role;
import io.jps.cli.Main;
import io.jps.config.ConfigLoader;
import io.jps.config.PipelineConfig;
import io.jps.engine.Engine;
import io.jps.kafka.KafkaConnection;
import io.jps.sandbox.ProviderSandbox;
import io.jps.sandbox.SandboxSettings;
import io.jps.topology.PipelineTopics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * Everything a command-line test talks to: a real broker, the sandbox, and one node running every stage against it,
 * with Juspay pointed at the sandbox; plus the command line itself, run in this process with its output captured.
 */
public final class WholePipeline implements AutoCloseable {

    /** One command's exit code and what it wrote. */
    public record Run(int exit, String out, String err) {
    }

    private final TestBroker broker;
    private final ProviderSandbox sandbox;
    private final Engine engine;
    private final PipelineNode node;
    private final Path overlay;
    private final Path keys;
    private final PipelineTopics topics;

    private WholePipeline(TestBroker broker, ProviderSandbox sandbox, Engine engine, PipelineNode node, Path overlay, Path keys,
                          PipelineTopics topics) {
        this.broker = broker;
        this.sandbox = sandbox;
        this.engine = engine;
        this.node = node;
        this.overlay = overlay;
        this.keys = keys;
        this.topics = topics;
    }

    /**
     * @param keys          our keysets (a copy the test may change)
     * @param moreProviders YAML lines under {@code providers:} besides Juspay's
     */
    public static WholePipeline start(String name, SandboxSettings settings, Path keys, String moreProviders) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), name + "-");
        TestBroker broker = TestBroker.start();
        ProviderSandbox sandbox = ProviderSandbox.start(ConfigLoader.defaults(), settings, Clock.systemUTC());
        Path overlay = dir.resolve("overlay.yaml");
        Files.writeString(overlay, """
                bootstrapServers: %s
                applicationId: %s
                dispatcher: {groupId: %s-dispatcher, drainTimeout: PT1S}
                providers:
                  juspay:
                    baseUrl: %s
                    allowPlainHttp: true
                    dispatch: {rateLimit: 0, maxAttempts: 3, initialBackoff: PT0.05S, maxBackoff: PT0.2S}
                %s""".formatted(broker.bootstrapServers(), name, name, sandbox.baseUrl("juspay"), moreProviders));
        PipelineConfig config = ConfigLoader.load(overlay, Map.of());
        Engine engine = Engine.create(config, keys, Map.of(), Clock.systemUTC());
        PipelineNode node = PipelineNode.start(engine, Role.ALL, broker.connection(), dir.resolve("state"), "127.0.0.1", 0);
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(node::isReady);
        return new WholePipeline(broker, sandbox, engine, node, overlay, keys, new PipelineTopics(config));
    }

    /** Runs {@code jps <args>} against this pipeline: its configuration, keys and broker. */
    public Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", overlay.toString(), "--keys", keys.toString(), "--bootstrap-servers", broker.bootstrapServers()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public KafkaConnection connection() {
        return broker.connection();
    }

    public ProviderSandbox sandbox() {
        return sandbox;
    }

    public Engine engine() {
        return engine;
    }

    public PipelineTopics topics() {
        return topics;
    }

    public PipelineConfig config() {
        return engine.config();
    }

    @Override
    public void close() throws Exception {
        node.close();
        engine.close();
        sandbox.close();
        broker.close();
    }

    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
