package io.jps.dlq;

import io.jps.config.PipelineConfig;
import io.jps.kafka.KafkaConnection;
import io.jps.topology.HeaderNames;
import io.jps.topology.PipelineTopics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * {@code dlq replay}: moves dead letters back to the topic they came from, each exactly once, even across a crash
 * and a second run. Each batch of moved records goes in one Kafka transaction together with a marker per record
 * ({@link ReplayMarkers}); a run first takes over the transactional id (which aborts whatever a killed run left
 * open), then reads the committed markers and skips what they name. Markers rather than a consumer group's
 * offset: a run with a filter skips records, and those must stay replayable by a later run with another filter.
 *
 * <p>A record goes back byte for byte, with its original headers (the attestation of the stage that wrote it
 * included) and without the {@code jps.error.*} ones, to the partition it was read from, so that an answer reaches
 * the task that remembers its request.
 */
public final class DlqReplayer {

    private static final int TRANSACTION_RECORDS = 100;
    private static final String ERROR_PREFIX = "jps.error.";

    /** Told what happens to each dead letter, as it happens. */
    public interface Listener {
        /** Written in the open transaction, not committed yet (with a dry run: would be moved). */
        void moving(DeadLetterView letter, String target);

        /** Committed: these records are back on their source topic, and marked. */
        void moved(List<DeadLetterView> letters, String target);

        /** Not moved: replaying it needs {@code --force}. */
        void heldBack(DeadLetterView letter, ReplayRisk risk);

        /** Not moved: it does not say where it came from, or names a topic its kind does not come from. */
        void unreplayable(DeadLetterView letter, String why);
    }

    /** What a run did. */
    public record Outcome(long moved, long movedBefore, long filteredOut, long heldBack, long unreplayable) {
    }

    private final PipelineConfig config;
    private final PipelineTopics topics;
    private final KafkaConnection kafka;

    public DlqReplayer(PipelineConfig config, KafkaConnection kafka) {
        this.config = config;
        this.topics = new PipelineTopics(config);
        this.kafka = kafka;
    }

    public Outcome replay(String topic, ReplayFilter filter, boolean force, boolean dryRun, Listener listener)
            throws InterruptedException {
        DeadLetterKind kind = DeadLetterKind.of(topics, topic).orElseThrow(() -> new IllegalArgumentException(
                topic + " is not one of the dead-letter topics of the configuration"));
        String target = kind.sourceTopic(topics);
        ReplayMarkers markers = new ReplayMarkers(topics.dlqReplayed());
        Uuid topicId;
        int targetPartitions;
        try (Admin client = kafka.admin()) {
            topicId = TopicDescriptions.topicId(client, topic);
            if (topicId == null) {
                throw new IllegalArgumentException("topic " + topic + " does not exist");
            }
            targetPartitions = TopicDescriptions.partitionCount(client, target);
            if (!dryRun) {
                markers.ensure(client, config.topics().create());
            }
        }
        if (dryRun) {
            try (Admin client = kafka.admin()) {
                return new Run(kind, target, targetPartitions, filter, force, listener, markers.load(client, kafka, topic,
                        topicId), null, null, null).scan(topic);
            }
        }
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer(topic)) {
            // Takes over from a run that was killed: its open transaction is aborted before any marker is read.
            producer.initTransactions();
            MovedOffsets moved;
            try (Admin client = kafka.admin()) {
                moved = markers.load(client, kafka, topic, topicId);
            }
            return new Run(kind, target, targetPartitions, filter, force, listener, moved, producer, markers, topicId).scan(topic);
        }
    }

    private KafkaProducer<byte[], byte[]> transactionalProducer(String topic) {
        return kafka.producer(Map.of(
                // One id per dead-letter topic: a second replay of the same topic fences the first instead of racing it.
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.applicationId() + "-dlq-replay-" + topic,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.CLIENT_ID_CONFIG, "jps-dlq-replay"));
    }

    /** One pass over the topic; {@code producer} null for a dry run. */
    private final class Run {
        private final DeadLetterKind kind;
        private final String target;
        private final int targetPartitions;
        private final ReplayFilter filter;
        private final boolean force;
        private final Listener listener;
        private final MovedOffsets movedBefore;
        private final KafkaProducer<byte[], byte[]> producer;
        private final ReplayMarkers markers;
        private final Uuid topicId;
        private final List<DeadLetterView> pending = new ArrayList<>();
        private long moved;
        private long skippedAsMoved;
        private long filteredOut;
        private long heldBack;
        private long unreplayable;

        Run(DeadLetterKind kind, String target, int targetPartitions, ReplayFilter filter, boolean force, Listener listener,
            MovedOffsets movedBefore, KafkaProducer<byte[], byte[]> producer, ReplayMarkers markers, Uuid topicId) {
            this.kind = kind;
            this.target = target;
            this.targetPartitions = targetPartitions;
            this.filter = filter;
            this.force = force;
            this.listener = listener;
            this.movedBefore = movedBefore;
            this.producer = producer;
            this.markers = markers;
            this.topicId = topicId;
        }

        Outcome scan(String topic) {
            DeadLetterScan.scan(kafka, topic, filter.since(), this::consider);
            commit();
            return new Outcome(moved, skippedAsMoved, filteredOut, heldBack, unreplayable);
        }

        private void consider(ConsumerRecord<byte[], byte[]> record) {
            DeadLetterView letter = DeadLetterView.of(record);
            if (movedBefore.contains(record.partition(), record.offset())) {
                skippedAsMoved++;
                return;
            }
            if (!filter.matches(letter)) {
                filteredOut++;
                return;
            }
            if (!target.equals(letter.sourceTopic()) || letter.sourcePartition() < 0 || letter.sourcePartition() >= targetPartitions) {
                unreplayable++;
                listener.unreplayable(letter, letter.sourceTopic() == null ? "no " + HeaderNames.ERROR_SOURCE_TOPIC
                        + " header" : "its source is not a partition of " + target);
                return;
            }
            ReplayRisk risk = ReplayRisk.of(kind, letter.reason());
            if (risk != ReplayRisk.NONE && !force) {
                heldBack++;
                listener.heldBack(letter, risk);
                return;
            }
            if (producer != null) {
                if (pending.isEmpty()) {
                    producer.beginTransaction();
                }
                producer.send(new ProducerRecord<>(target, letter.sourcePartition(), record.key(), record.value(),
                        original(record.headers())));
                producer.send(markers.marker(letter, topicId, target, System.currentTimeMillis()));
                pending.add(letter);
            } else {
                moved++;
            }
            listener.moving(letter, target);
            if (pending.size() >= TRANSACTION_RECORDS) {
                commit();
            }
        }

        private void commit() {
            if (pending.isEmpty()) {
                return;
            }
            producer.commitTransaction();
            List<DeadLetterView> letters = List.copyOf(pending);
            pending.clear();
            moved += letters.size();
            listener.moved(letters, target);
        }
    }

    /** The headers the record had before it was dead-lettered. */
    private static Headers original(Headers headers) {
        Headers kept = new RecordHeaders();
        for (Header header : headers) {
            if (!header.key().startsWith(ERROR_PREFIX)) {
                kept.add(header.key(), header.value());
            }
        }
        return kept;
    }
}
