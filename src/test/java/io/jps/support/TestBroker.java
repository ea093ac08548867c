package io.jps.support;

import io.jps.config.PipelineConfig;
import io.jps.kafka.EmbeddedKafka;
import io.jps.kafka.KafkaConnection;
import io.jps.kafka.TopicAdmin;
import io.jps.topology.PipelineTopics;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.kafka.clients.admin.Admin;

/**
 * The Kafka broker an integration test runs against. Tests see only {@link #bootstrapServers()} and
 * {@link #close()}, whichever broker is behind them: the embedded KRaft node by default (data under
 * {@code target/}), or a Testcontainers Kafka container with {@code -Djps.test.broker=testcontainers} or
 * {@code TEST_BROKER=testcontainers}, where a Docker engine is available.
 */
public final class TestBroker implements AutoCloseable {

    static final String PROPERTY = "jps.test.broker";
    // not JPS_...: the product reads every JPS_* variable as configuration and rejects the ones it does not know
    static final String ENVIRONMENT_VARIABLE = "TEST_BROKER";

    private final String bootstrapServers;
    private final Runnable stop;

    TestBroker(String bootstrapServers, Runnable stop) {
        this.bootstrapServers = bootstrapServers;
        this.stop = stop;
    }

    public static TestBroker start() {
        String selected = selected();
        return switch (selected) {
            case "embedded" -> embedded();
            // its own class, so that Testcontainers is not even loaded unless asked for
            case "testcontainers" -> KafkaContainerBroker.start();
            default -> throw new IllegalArgumentException(PROPERTY + " / " + ENVIRONMENT_VARIABLE + " is '" + selected
                    + "'; expected embedded or testcontainers");
        };
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public KafkaConnection connection() {
        return KafkaConnection.plaintext(bootstrapServers);
    }

    /** The pipeline's topics as {@code run} would create them on this broker: replication capped to its size. */
    public PipelineTopics createTopics(PipelineConfig config) throws InterruptedException {
        try (Admin admin = connection().admin()) {
            PipelineTopics topics = new PipelineTopics(config).replicationCappedTo(TopicAdmin.brokerCount(admin));
            TopicAdmin.ensure(admin, topics.toCreate());
            return topics;
        }
    }

    @Override
    public void close() {
        stop.run();
    }

    private static TestBroker embedded() {
        EmbeddedKafka kafka = EmbeddedKafka.start(Path.of("target", "kafka"));
        return new TestBroker(kafka.bootstrapServers(), kafka::close);
    }

    private static String selected() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(ENVIRONMENT_VARIABLE);
        }
        return value == null || value.isBlank() ? "embedded" : value.strip().toLowerCase(Locale.ROOT);
    }
}
