package io.jps.dlq;

import io.jps.config.ConfigException;
import io.jps.config.TopicSpec;
import io.jps.kafka.KafkaConnection;
import io.jps.kafka.TopicAdmin;
import io.jps.record.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The marker topic of {@code dlq replay} ({@code payments.dlq.replayed}): one record per dead letter moved back,
 * keyed by the dead letter's topic, topic id, partition and offset, written in the same Kafka transaction as the
 * moved record. A transaction either moves records and marks them, or does neither; so a rerun after a crash reads
 * the markers and moves exactly what is left. Compacted, so markers never expire (a marker that expired would let
 * its dead letter be moved twice). The topic id keeps a recreated dead-letter topic's offsets apart from the old one's.
 */
final class ReplayMarkers {

    private static final long TIMEOUT_SECONDS = 60;
    private static final Duration POLL = Duration.ofMillis(200);

    /** What a marker says, for whoever reads the topic. */
    record Marker(String deadLetterTopic, int partition, long offset, String reason, String requestId, String movedTo,
                  int movedToPartition, long movedAt) {
    }

    private final TopicSpec spec;

    ReplayMarkers(TopicSpec spec) {
        this.spec = spec;
    }

    String topic() {
        return spec.name();
    }

    /**
     * Creates the topic, compacted and replicated as far as the cluster allows, when absent and {@code create} says so
     * ({@code topics.create}); refuses one whose markers could expire.
     */
    void ensure(Admin admin, boolean create) throws InterruptedException {
        try {
            if (!exists(admin)) {
                if (!create) {
                    throw new ConfigException("topic " + spec.name() + " does not exist and topics.create is false: create it "
                            + "with cleanup.policy=compact before replaying");
                }
                TopicSpec capped = spec.cappedTo(TopicAdmin.brokerCount(admin));
                try {
                    admin.createTopics(List.of(new NewTopic(capped.name(), capped.partitions(), capped.replicationFactor())
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(capped.minInsyncReplicas())))))
                            .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + spec.name() + ": " + e.getCause(), e.getCause());
                    }
                }
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
            Config config = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(resource);
            String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            String retention = config.get(TopicConfig.RETENTION_MS_CONFIG).value();
            boolean keepsForever = "-1".equals(retention)
                    || policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT) && !policy.contains(TopicConfig.CLEANUP_POLICY_DELETE);
            if (!keepsForever) {
                throw new IllegalStateException("topic " + spec.name() + " must keep its markers: cleanup.policy=compact (it has "
                        + policy + ", retention.ms " + retention + "); a marker that expires lets its dead letter be replayed twice");
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe topic " + spec.name() + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the cluster did not answer within " + TIMEOUT_SECONDS + " s about " + spec.name());
        }
    }

    boolean exists(Admin admin) throws InterruptedException {
        return TopicDescriptions.topicId(admin, spec.name()) != null;
    }

    /** Every committed marker of this incarnation of the dead-letter topic (nothing when the marker topic is absent). */
    MovedOffsets load(Admin admin, KafkaConnection kafka, String deadLetterTopic, Uuid deadLetterTopicId)
            throws InterruptedException {
        MovedOffsets moved = new MovedOffsets();
        if (!exists(admin)) {
            return moved;
        }
        String prefix = keyPrefix(deadLetterTopic, deadLetterTopicId);
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.committedReader("jps-dlq")) {
            List<TopicPartition> partitions = consumer.partitionsFor(spec.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
                    if (key.startsWith(prefix) && record.value() != null) {
                        String[] at = key.substring(prefix.length()).split("/");
                        moved.add(Integer.parseInt(at[0]), Long.parseLong(at[1]));
                    }
                }
            }
        }
        return moved;
    }

    ProducerRecord<byte[], byte[]> marker(DeadLetterView letter, Uuid deadLetterTopicId, String movedTo, long movedAt) {
        String key = keyPrefix(letter.topic(), deadLetterTopicId) + letter.partition() + "/" + letter.offset();
        Marker marker = new Marker(letter.topic(), letter.partition(), letter.offset(), letter.reason(), letter.requestId(), movedTo,
                letter.sourcePartition(), movedAt);
        return new ProducerRecord<>(spec.name(), key.getBytes(StandardCharsets.UTF_8), Json.writeBytes(marker));
    }

    private static String keyPrefix(String deadLetterTopic, Uuid topicId) {
        return deadLetterTopic + "/" + topicId + "/";
    }
}
