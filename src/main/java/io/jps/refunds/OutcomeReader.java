package io.jps.refunds;

import io.jps.kafka.KafkaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads every partition of the outcome topics between offsets the caller chooses, committed records only. No
 * consumer group: nothing is committed, and a reader never waits for a rebalance.
 */
final class OutcomeReader implements AutoCloseable {

    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();

    OutcomeReader(KafkaConnection kafka, Collection<String> topics) {
        this.consumer = kafka.committedReader("jps-refunds");
        try {
            for (String topic : topics) {
                List<PartitionInfo> found = consumer.partitionsFor(topic, METADATA_TIMEOUT);
                if (found == null || found.isEmpty()) {
                    throw new IllegalStateException("topic " + topic + " does not exist");
                }
                found.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** The last stable offsets now: where the committed records end. */
    Map<TopicPartition, Long> endOffsets() {
        return consumer.endOffsets(partitions, METADATA_TIMEOUT);
    }

    /**
     * Per partition, the first offset of a record stamped at or after {@code timestamp}, never beyond {@code limit};
     * {@code limit} where there is no such record.
     */
    Map<TopicPartition, Long> offsetsAt(long timestamp, Map<TopicPartition, Long> limit) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, Math.max(0, timestamp)));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, METADATA_TIMEOUT);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp at = found.get(partition);
            long bound = limit.get(partition);
            offsets.put(partition, at == null ? bound : Math.min(at.offset(), bound));
        }
        return offsets;
    }

    void seek(Map<TopicPartition, Long> offsets) {
        consumer.resume(partitions);
        offsets.forEach(consumer::seek);
    }

    /**
     * Polls once and hands over the records below {@code until} (every record, when null); a partition that has
     * reached its limit is paused, so no time goes into reading past it.
     */
    void poll(Duration wait, Map<TopicPartition, Long> until, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
            if (until == null || record.offset() < until.get(new TopicPartition(record.topic(), record.partition()))) {
                sink.accept(record);
            }
        }
        if (until != null) {
            List<TopicPartition> done = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                if (consumer.position(partition) >= until.get(partition)) {
                    done.add(partition);
                }
            }
            consumer.pause(done);
        }
    }

    /** Whether every partition has been read up to {@code until}. */
    boolean reached(Map<TopicPartition, Long> until) {
        return partitions.stream().allMatch(p -> consumer.position(p) >= until.get(p));
    }

    @Override
    public void close() {
        consumer.close();
    }
}
