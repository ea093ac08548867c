package io.jps.topology;

import io.jps.config.PipelineConfig;
import io.jps.kafka.KafkaConnection;
import io.jps.observe.PipelineMetrics;
import io.jps.profile.Stage;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams settings of the seal and open stages, on top of the connection's client properties. */
public final class StreamsSettings {

    private StreamsSettings() {
    }

    /**
     * The settings the stages rest on (exactly-once, the serdes, the dead-letter handlers, where state lives) are
     * fixed: the connection refuses a properties file that tries to change them. The ones that only tune (how many
     * stream threads) are defaults the file's {@code streams.} keys may change.
     */
    public static Properties of(PipelineConfig config, PipelineTopics topics, KafkaConnection kafka, Path stateDir,
                                PipelineMetrics metrics) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) topics.internalReplicationFactor());
        props.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), String.valueOf(topics.internalMinInsyncReplicas()));
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.ROUTES, String.join(",",
                topics.requests().name() + "=" + topics.dlqRequest().name() + ":" + Stage.SEAL.name(),
                topics.responses().name() + "=" + topics.dlqDecryption().name() + ":" + Stage.OPEN.name()));
        props.put(DeadLetterHandler.METRICS, metrics);
        Properties settings = kafka.streams(props);
        tunables().forEach(settings::putIfAbsent);
        return settings;
    }

    /**
     * Tuned with {@code bench --stage} and the demo on a 2-core machine, broker alongside; a properties file may
     * change each. One stream thread per core, since sealing and opening are CPU-bound. Producer batches of 512 KiB
     * instead of Kafka's 16 KiB: a sealed request or an answer is ~3 KB, so small batches meant a produce request (on
     * our network thread and the broker's) every few records; the broker's share of the CPU halved and the seal
     * stage gained about a fifth. Records still leave at the latest when a transaction commits.
     * <p>
     * SEAL and OPEN share their tasks (the store of sent requests), and a stream thread processes everything a
     * fetch brought before it fetches again; with 1 MiB a partition, a backlog of requests (a batch of refunds)
     * meant thousands of seals before any answer of the same fetch round was opened. 16 KiB a partition bounds that
     * to a few dozen requests, and tasks never idle waiting for one input to catch up with the other: the answers
     * carry their request's timestamp, and their order against new requests decides nothing.
     */
    private static Properties tunables() {
        Properties tunables = new Properties();
        tunables.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Runtime.getRuntime().availableProcessors());
        tunables.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 512 * 1024);
        tunables.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), 16 * 1024);
        tunables.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        return tunables;
    }
}
