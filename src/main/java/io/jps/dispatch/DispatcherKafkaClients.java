package io.jps.dispatch;

import io.jps.config.PipelineConfig;
import io.jps.kafka.KafkaConnection;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The one place the dispatcher's Kafka consumer and producer are made, through the deployment's
 * {@link KafkaConnection} (security and the cluster's own limits come from its properties file). The settings the
 * dispatcher's guarantees rest on (manual commits in transactions, read_committed, a transactional id) are its own,
 * and the connection refuses a file that tries to change them.
 */
final class DispatcherKafkaClients {

    private final KafkaConnection kafka;
    private final PipelineConfig.Dispatcher settings;
    /** One per process: the consumer group's generation fences a zombie instance (KIP-447). */
    private final String transactionalId;

    DispatcherKafkaClients(KafkaConnection kafka, PipelineConfig.Dispatcher settings) {
        this.kafka = kafka;
        this.settings = settings;
        this.transactionalId = settings.groupId() + "-" + UUID.randomUUID();
    }

    KafkaConsumer<byte[], byte[]> consumer() {
        return kafka.consumer(Map.of(
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.sessionTimeout().toMillis(),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(1_000, settings.sessionTimeout().toMillis() / 3),
                ConsumerConfig.GROUP_ID_CONFIG, settings.groupId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // payments.sealed is written in transactions by the seal stage: never act on an aborted one
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
    }

    KafkaProducer<byte[], byte[]> producer() {
        return kafka.producer(producerBase());
    }

    /**
     * The producer's {@code max.request.size} (the file may raise it, to what the cluster takes): an outcome larger
     * than this would fail its transaction.
     */
    int maxRequestSize() {
        Object configured = producerProperties().getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        return Integer.parseInt(String.valueOf(configured));
    }

    /** Everything the producer is made with. */
    Map<String, Object> producerProperties() {
        return kafka.producerConfig(producerBase());
    }

    private Map<String, Object> producerBase() {
        return Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // Transactions here last one commit interval. A crashed instance's open transaction holds back every
                // read_committed reader of payments.responses (the open stage) until it times out.
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    }
}
