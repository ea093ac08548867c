package io.jps.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.jps.app.PipelineNode;
import io.jps.app.Role;
import io.jps.bench.SampleRequests;
import io.jps.config.ConfigException;
import io.jps.config.ConfigLoader;
import io.jps.config.PipelineConfig;
import io.jps.config.TopicSpec;
import io.jps.engine.Engine;
import io.jps.profile.Stage;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.PaymentResult;
import io.jps.sandbox.ProviderSandbox;
import io.jps.sandbox.SandboxSettings;
import io.jps.support.ProviderPlayer;
import io.jps.support.ReadmeAcls;
import io.jps.support.SecuredBroker;
import io.jps.support.TestKeys;
import io.jps.topology.PipelineTopics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The pipeline on a cluster secured as production ones are (SASL_SSL with SCRAM-SHA-512, TLS from a test CA,
 * {@code StandardAuthorizer}): each role under its own principal holding exactly the README's ACLs, the topics made
 * beforehand by an admin ({@code topics.create: false}), the passwords brought in by Kafka's config providers.
 */
class SecuredClusterIT {

    private static final String STREAMS = "jps-streams";
    private static final String DISPATCHER = "jps-dispatcher";
    /** Signs in, and holds no ACL at all. */
    private static final String NOBODY = "jps-nobody";
    private static final List<String> PROVIDERS = List.of("juspay", "wise", "socure", "portone");
    private static final int REQUESTS = 40;
    private static final Path JAR = Path.of("target", "jose-payment-streams.jar");
    // not JPS_...: the app reads those as configuration
    private static final String PASSWORD_VARIABLE = "DISPATCHER_KAFKA_PASSWORD";

    private static SecuredBroker broker;
    private static ProviderSandbox sandbox;
    private static Path dir;
    private static Path overlay;
    private static PipelineConfig config;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void secureTheClusterAsTheReadmeSays() throws Exception {
        broker = SecuredBroker.start(List.of(STREAMS, DISPATCHER, NOBODY));
        sandbox = ProviderSandbox.start(ConfigLoader.defaults(), SandboxSettings.wellBehaved(TestKeys.sandboxKeys()),
                Clock.systemUTC());
        dir = Files.createTempDirectory(Path.of("target"), "secured-it-");
        overlay = overlay();
        config = ConfigLoader.load(overlay, Map.of());
        ReadmeAcls acls = ReadmeAcls.read();
        try (Admin admin = broker.admin().admin()) {
            List<TopicSpec> topics = new PipelineTopics(config).replicationCappedTo(TopicAdmin.brokerCount(admin)).toCreate();
            TopicAdmin.ensure(admin, topics);
            acls.grant(broker.tlsBootstrapServers(), broker.adminProperties());
            // the controller has the ACLs; the broker's authorizer learns of them a moment later
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> admin.describeAcls(AclBindingFilter.ANY).values().get().size() == acls.bindings());
        }
    }

    @AfterAll
    static void stopTheCluster() {
        sandbox.close();
        broker.close();
    }

    @BeforeEach
    void captureLogs() {
        logs.start();
        root().addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        kafkaLogger().setLevel(Level.WARN);
        root().detachAppender(logs);
    }

    @Test
    void theWholeLoopRunsWithEachRoleUnderItsOwnPrincipalHoldingOnlyTheReadmesAcls() throws Exception {
        Path secrets = Files.writeString(dir.resolve("streams-secrets.properties"), "password=" + broker.password(STREAMS) + "\n");
        Path streamsProperties = write("streams.properties", saslProperties(STREAMS, "${file:" + secrets + ":password}",
                "file", "org.apache.kafka.common.config.provider.FileConfigProvider"));
        Path dispatcherProperties = write("dispatcher.properties", saslProperties(DISPATCHER, "${env:" + PASSWORD_VARIABLE + "}",
                "env", "org.apache.kafka.common.config.provider.EnvVarConfigProvider"));
        Path dispatcherLog = dir.resolve("dispatcher.log");
        List<PaymentRequest> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(SampleRequests.forProvider(PROVIDERS.get(i % PROVIDERS.size()), "default", "secured-" + i));
        }

        try (Engine engine = Engine.create(config, TestKeys.keys(), Map.of(), Clock.systemUTC());
             PipelineNode stages = PipelineNode.start(engine, Role.SEAL_OPEN,
                     KafkaConnection.of(broker.saslBootstrapServers(), streamsProperties), dir.resolve("state"), "127.0.0.1", 0)) {
            Process dispatcher = dispatcher(Map.of("JPS_KAFKA_PROPERTIES", dispatcherProperties.toString(),
                    PASSWORD_VARIABLE, broker.password(DISPATCHER)), List.of(), dispatcherLog);
            try (KafkaProducer<byte[], byte[]> producer = broker.admin().producer(Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
                Awaitility.await().atMost(Duration.ofMinutes(1)).until(stages::isReady);
                for (PaymentRequest request : requests) {
                    producer.send(new ProducerRecord<>(config.topics().requests().name(),
                            request.recordKey().getBytes(StandardCharsets.UTF_8), Json.writeBytes(request))).get();
                }

                List<ConsumerRecord<byte[], byte[]>> responses = readAtLeast(config.topics().responses().name(), REQUESTS);
                assertThat(responses).extracting(ProviderPlayer::requestId)
                        .containsExactlyInAnyOrderElementsOf(requests.stream().map(PaymentRequest::requestId).toList());
                assertThat(readAtLeast(config.topics().sealed().name(), REQUESTS)).hasSize(REQUESTS);
                List<ConsumerRecord<byte[], byte[]>> results = readAtLeast(config.topics().results().name(), REQUESTS);
                assertThat(results).extracting(ProviderPlayer::requestId)
                        .containsExactlyInAnyOrderElementsOf(requests.stream().map(PaymentRequest::requestId).toList());
                for (ConsumerRecord<byte[], byte[]> result : results) {
                    assertThat(Json.MAPPER.readValue(result.value(), PaymentResult.class).outcome())
                            .isEqualTo(PaymentResult.Outcome.SUCCEEDED);
                }
                assertThat(stages.isReady()).isTrue();
                // the other role's group too: the dispatcher's lag, measured under the seal-open principal
                Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> !Double.isNaN(stages.registry()
                        .get("jps.consumer.lag").tag("stage", Stage.DISPATCH.wireName()).gauge().value()));
                assertThat(dispatcher.isAlive()).as("the dispatcher runs").isTrue();
            } finally {
                dispatcher.destroy();
                dispatcher.waitFor(60, TimeUnit.SECONDS);
            }
        }
        // a restart on an empty state directory finds its internal topics made and restores its stores from them
        try (Engine engine = Engine.create(config, TestKeys.keys(), Map.of(), Clock.systemUTC());
             PipelineNode restarted = PipelineNode.start(engine, Role.SEAL_OPEN,
                     KafkaConnection.of(broker.saslBootstrapServers(), streamsProperties), dir.resolve("state-after-restart"),
                     "127.0.0.1", 0)) {
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(restarted::isReady);
        }
        assertThat(capturedLogs()).noneMatch(SecuredClusterIT::mentionsAuthorization);
        assertThat(Files.readString(dispatcherLog)).doesNotContainIgnoringCase("authoriz").doesNotContain(broker.password(DISPATCHER));
    }

    @Test
    void wrongCredentialsStopTheStartWithAClearMessageAndTheSecretNowhere() throws Exception {
        String wrong = "wrong-" + UUID.randomUUID();
        Path properties = write("wrong.properties", saslProperties(DISPATCHER, wrong, null, null));
        // Kafka's configuration dumps (INFO) are where a password would show if Kafka did not hide it
        kafkaLogger().setLevel(Level.INFO);

        try (Engine engine = Engine.create(config, TestKeys.keys(), Map.of(), Clock.systemUTC())) {
            assertThatThrownBy(() -> PipelineNode.start(engine, Role.DISPATCHER,
                    KafkaConnection.of(broker.saslBootstrapServers(), properties), dir.resolve("wrong-state"), "127.0.0.1", 0))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("refused this client's credentials")
                    .hasMessageContaining("SCRAM-SHA-512")
                    .satisfies(e -> assertThat(messages(e)).doesNotContain(wrong));
        }
        assertThat(capturedLogs()).isNotEmpty().noneMatch(event -> contains(event, wrong));

        Path output = dir.resolve("wrong-cli.log");
        Process cli = dispatcher(Map.of(), List.of("--kafka-properties", properties.toString()), output);
        assertThat(cli.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(cli.exitValue()).isEqualTo(2);
        assertThat(Files.readString(output)).contains("refused this client's credentials").doesNotContain(wrong);
    }

    @Test
    void aPrincipalThatCannotSeeItsTopicsStopsTheStartNamingTheTopic() throws Exception {
        Path properties = write("nobody.properties", saslProperties(NOBODY, broker.password(NOBODY), null, null));

        try (Engine engine = Engine.create(config, TestKeys.keys(), Map.of(), Clock.systemUTC())) {
            assertThatThrownBy(() -> PipelineNode.start(engine, Role.DISPATCHER,
                    KafkaConnection.of(broker.saslBootstrapServers(), properties), dir.resolve("nobody-state"), "127.0.0.1", 0))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("describing topic " + config.topics().sealed().name())
                    .hasMessageContaining("lacks an ACL")
                    .message().doesNotContain(broker.password(NOBODY));
        }
    }

    @Test
    void aPrincipalWithoutWriteOnResponsesCannotInjectAnswers() throws Exception {
        Path properties = write("injector.properties", saslProperties(STREAMS, broker.password(STREAMS), null, null));
        PaymentRequest forged = SampleRequests.forProvider("juspay", "default", "forged-1");

        try (KafkaProducer<byte[], byte[]> producer = KafkaConnection.of(broker.saslBootstrapServers(), properties)
                .producer(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(config.topics().responses().name(),
                    forged.recordKey().getBytes(StandardCharsets.UTF_8), "{\"httpStatus\":200}".getBytes(StandardCharsets.UTF_8))).get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    /** What was logged so far: Kafka's threads may still be logging, and the appender appends under its own lock. */
    private List<ILoggingEvent> capturedLogs() {
        synchronized (logs) {
            return new ArrayList<>(logs.list);
        }
    }

    /** Committed records of {@code topic}, read by the admin, until at least {@code count} arrived (or 3 minutes). */
    private static List<ConsumerRecord<byte[], byte[]>> readAtLeast(String topic, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = broker.admin().consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "secured-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            consumer.subscribe(List.of(topic));
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** The dispatcher as users run it: the shipped jar in its own process, with {@code environment} added to ours. */
    private static Process dispatcher(Map<String, String> environment, List<String> options, Path log) throws IOException {
        assertThat(JAR).as("the shaded jar (built by `mvn package`)").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "run", "--role", "dispatcher", "--keys", TestKeys.keys().toString(),
                "--config", overlay.toString(), "--metrics-port", "0",
                "--state-dir", Files.createTempDirectory(dir, "dispatcher-state-").toString()));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static String saslProperties(String user, String password, String provider, String providerClass) {
        StringBuilder properties = new StringBuilder()
                .append("security.protocol=SASL_SSL\n")
                .append("sasl.mechanism=SCRAM-SHA-512\n")
                .append("sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\\n")
                .append("  username=\"").append(user).append("\" password=\"").append(password).append("\";\n")
                .append("ssl.truststore.type=PEM\n")
                .append("ssl.truststore.location=").append(broker.trustStore()).append('\n');
        if (provider != null) {
            properties.append("config.providers=").append(provider).append('\n')
                    .append("config.providers.").append(provider).append(".class=").append(providerClass).append('\n');
        }
        return properties.toString();
    }

    private static Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static Path overlay() throws IOException {
        StringBuilder yaml = new StringBuilder("bootstrapServers: ").append(broker.saslBootstrapServers()).append('\n')
                .append("topics: {create: false}\n")
                .append("dispatcher: {drainTimeout: PT5S}\n")
                .append("providers:\n");
        for (String provider : PROVIDERS) {
            yaml.append("  ").append(provider).append(":\n")
                    .append("    baseUrl: ").append(sandbox.baseUrl(provider)).append('\n')
                    .append("    allowPlainHttp: true\n");
        }
        return Files.writeString(dir.resolve("secured.yaml"), yaml);
    }

    private static boolean mentionsAuthorization(ILoggingEvent event) {
        return contains(event, "Authorization") || contains(event, "Not authorized");
    }

    private static boolean contains(ILoggingEvent event, String text) {
        if (event.getFormattedMessage().contains(text)) {
            return true;
        }
        for (IThrowableProxy thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
            if (thrown.getClassName().contains(text) || (thrown.getMessage() != null && thrown.getMessage().contains(text))) {
                return true;
            }
        }
        return false;
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        Set<Throwable> seen = new HashSet<>();
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            all.append(cause).append('\n');
        }
        return all.toString();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static Logger kafkaLogger() {
        return (Logger) LoggerFactory.getLogger("org.apache.kafka");
    }
}
