package io.jps.dispatch;

import io.jps.config.PipelineConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one place the dispatcher's Kafka consumer and producer are made: from the bootstrap servers and a base map of
 * client properties (security, tuning). The dispatcher's own tunables are defaults the base map may change; the
 * settings its guarantees rest on (manual commits in transactions, read_committed, a transactional id) always win.
 */
final class DispatcherKafkaClients {

    private final String bootstrapServers;
    private final Map<String, Object> base;
    private final PipelineConfig.Dispatcher settings;
    /** One per process: the consumer group's generation fences a zombie instance (KIP-447). */
    private final String transactionalId;

    DispatcherKafkaClients(String bootstrapServers, Map<String, Object> base, PipelineConfig.Dispatcher settings) {
        this.bootstrapServers = bootstrapServers;
        this.base = Map.copyOf(base);
        this.settings = settings;
        this.transactionalId = settings.groupId() + "-" + UUID.randomUUID();
    }

    KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.sessionTimeout().toMillis());
        properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(1_000, settings.sessionTimeout().toMillis() / 3));
        properties.putAll(base);
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // payments.sealed is written in transactions by the seal stage: never act on an aborted one
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The producer's {@code max.request.size}: an outcome larger than this would fail its transaction. */
    int maxRequestSize() {
        Object configured = producerProperties().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        return Integer.parseInt(String.valueOf(configured));
    }

    Map<String, Object> producerProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        // Transactions here last one commit interval. A crashed instance's open transaction holds back every
        // read_committed reader of payments.responses (the open stage) until it times out.
        properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
        properties.putAll(base);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return properties;
    }
}
