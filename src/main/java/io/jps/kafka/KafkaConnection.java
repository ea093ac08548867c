package io.jps.kafka;

import io.jps.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * How every Kafka client of the app reaches the cluster: the bootstrap servers, and the client properties file
 * Kafka's own tools take ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}, ...). Plain keys apply to
 * every client; keys prefixed {@code producer.}, {@code consumer.}, {@code admin.} or {@code streams.} to that kind
 * only, and win over a plain key of the same name.
 *
 * <p>The file's values go to Kafka as they are and are never logged here: Kafka resolves config-provider
 * variables ({@code ${env:NAME}}, {@code ${file:...}}) itself when the file declares {@code config.providers}, and
 * its own configuration logging hides passwords. A key the app sets itself for a client (its group, its
 * transactional id, its isolation level, ...) is refused rather than overridden, so that the file can never
 * silently weaken what the pipeline relies on.
 */
public final class KafkaConnection {

    private static final String PRODUCER = "producer.";
    private static final String CONSUMER = "consumer.";
    private static final String ADMIN = "admin.";
    private static final String STREAMS = "streams.";
    private static final List<String> KINDS = List.of(PRODUCER, CONSUMER, ADMIN, STREAMS);

    private final String bootstrapServers;
    private final Path file;
    private final Map<String, String> properties;

    private KafkaConnection(String bootstrapServers, Path file, Map<String, String> properties) {
        this.bootstrapServers = bootstrapServers;
        this.file = file;
        this.properties = properties;
    }

    /** A cluster that needs nothing but its address (the embedded broker). */
    public static KafkaConnection plaintext(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, null, Map.of());
    }

    /** The cluster at {@code bootstrapServers}, with the client properties in {@code propertiesFile} (null: none). */
    public static KafkaConnection of(String bootstrapServers, Path propertiesFile) {
        if (propertiesFile == null) {
            return plaintext(bootstrapServers);
        }
        if (!Files.isRegularFile(propertiesFile)) {
            throw new ConfigException(describe(propertiesFile) + ": no such file");
        }
        Properties loaded;
        try {
            loaded = Utils.loadProps(propertiesFile.toString());
        } catch (IOException e) {
            throw new ConfigException(describe(propertiesFile) + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        Map<String, String> properties = new TreeMap<>();
        loaded.stringPropertyNames().forEach(name -> properties.put(name, loaded.getProperty(name)));
        return new KafkaConnection(bootstrapServers, propertiesFile, Map.copyOf(properties));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Admin admin() {
        return Admin.create(adminConfig());
    }

    /** A consumer of raw bytes with the app's own settings {@code base}. */
    public KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> base) {
        return new KafkaConsumer<>(consumerConfig(base), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A consumer that reads only committed records, commits no offsets and creates no topic: how a tool reads what
     * the stages wrote without taking part in the pipeline.
     */
    public KafkaConsumer<byte[], byte[]> committedReader(String clientId) {
        return consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId));
    }

    /** A producer of raw bytes with the app's own settings {@code base}. */
    public KafkaProducer<byte[], byte[]> producer(Map<String, Object> base) {
        return new KafkaProducer<>(producerConfig(base), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Kafka Streams' settings: {@code base}, plain keys as they are, {@code streams.} keys without the prefix, and
     * {@code producer.}, {@code consumer.} and {@code admin.} keys as they are, which are Streams' own prefixes for
     * the clients it creates.
     */
    public Properties streams(Properties base) {
        Map<String, Object> own = new HashMap<>();
        base.forEach((name, value) -> own.put(String.valueOf(name), value));
        Map<String, String> fromFile = new TreeMap<>();
        properties.forEach((name, value) -> {
            if (!name.startsWith(STREAMS)) {
                fromFile.put(name, value);
            }
        });
        properties.forEach((name, value) -> {
            if (name.startsWith(STREAMS)) {
                fromFile.put(name.substring(STREAMS.length()), value);
            }
        });
        Properties streams = new Properties();
        streams.putAll(merged(own, fromFile, "Kafka Streams"));
        return streams;
    }

    Map<String, Object> adminConfig() {
        return merged(Map.of(), forKind(ADMIN), "admin");
    }

    Map<String, Object> consumerConfig(Map<String, Object> base) {
        return merged(base, forKind(CONSUMER), "consumer");
    }

    /** The settings a producer made with {@code base} gets: the app's own, then the file's. */
    public Map<String, Object> producerConfig(Map<String, Object> base) {
        return merged(base, forKind(PRODUCER), "producer");
    }

    /** Plain keys, then the ones of this kind without their prefix, which win. */
    private Map<String, String> forKind(String kind) {
        Map<String, String> selected = new TreeMap<>();
        properties.forEach((name, value) -> {
            if (KINDS.stream().noneMatch(name::startsWith)) {
                selected.put(name, value);
            }
        });
        properties.forEach((name, value) -> {
            if (name.startsWith(kind)) {
                selected.put(name.substring(kind.length()), value);
            }
        });
        return selected;
    }

    private Map<String, Object> merged(Map<String, Object> base, Map<String, String> fromFile, String client) {
        Map<String, Object> config = new HashMap<>(base);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        for (String name : fromFile.keySet()) {
            if (name.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
                throw new ConfigException(describe(file) + ": bootstrap.servers belongs in bootstrapServers (or --bootstrap-servers)");
            }
            if (config.containsKey(name)) {
                throw new ConfigException(describe(file) + ": " + name + " is set by the app itself for its " + client
                        + " client and cannot be overridden");
            }
        }
        config.putAll(fromFile);
        return config;
    }

    private static String describe(Path file) {
        return "kafka properties file " + file + " (kafkaProperties, --kafka-properties)";
    }
}
