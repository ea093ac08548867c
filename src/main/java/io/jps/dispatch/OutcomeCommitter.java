package io.jps.dispatch;

import io.jps.profile.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes outcomes in Kafka transactions together with the offsets of the records they answer. An outcome that
 * cannot fit into the topic (larger than the producer's {@code max.request.size}, or refused by the broker as
 * larger than the topic's {@code max.message.bytes}) becomes an {@code OVERSIZED} dead letter instead: one
 * record must not fail every transaction after it and stop the dispatcher for good.
 */
final class OutcomeCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeCommitter.class);
    /** Once for the outcomes as they are, once more with the ones refused as too large replaced. */
    private static final int WRITE_PASSES = 2;
    /**
     * The upper bound Kafka's record format v2 puts on a record's size besides its key, value and headers: the
     * batch header (61 bytes), the record's attributes, timestamp and offset deltas and length (21), the
     * length varints of key, value and header count (3 x 5) and of each header's key and value (2 x 5).
     */
    private static final int BATCH_OVERHEAD = 61 + 21 + 15;
    private static final int HEADER_OVERHEAD = 10;

    /** A record that finished, and what is to be written for it. */
    private record Finished(Work work, ProducerRecord<byte[], byte[]> outcome) {
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final OutcomeRecords records;
    private final int maxRequestSize;
    private final Map<TopicPartition, PartitionProgress<Finished>> progress = new HashMap<>();

    OutcomeCommitter(KafkaProducer<byte[], byte[]> producer, OutcomeRecords records, int maxRequestSize) {
        this.producer = producer;
        this.records = records;
        this.maxRequestSize = maxRequestSize;
        producer.initTransactions();
    }

    synchronized void started(ConsumerRecord<byte[], byte[]> record) {
        progress.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), p -> new PartitionProgress<>())
                .started(record.offset());
    }

    /** Holds the outcome until its partition's records before it have finished; one too large for the topic is replaced now. */
    void finished(Work work, ProducerRecord<byte[], byte[]> outcome) {
        ProducerRecord<byte[], byte[]> fitting = outcome;
        int size = sizeUpperBound(outcome);
        if (size > maxRequestSize) {
            fitting = records.deadLetter(work, ReasonCode.OVERSIZED, "the outcome record would be " + size
                    + " bytes, more than the producer's max.request.size=" + maxRequestSize);
        }
        synchronized (this) {
            PartitionProgress<Finished> partition = progress.get(work.lane().partition());
            if (partition != null) {
                partition.finished(work.record().offset(), new Finished(work, fitting));
            }
        }
    }

    /**
     * Writes the outcomes that are ready and commits the offsets that cover them, in one transaction. Runs on the
     * polling thread only: a transactional producer is not to be shared mid-transaction, nor a consumer at all.
     */
    void commit(Collection<TopicPartition> partitions, Consumer<?, ?> consumer) {
        List<Finished> outcomes = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        synchronized (this) {
            for (TopicPartition partition : partitions) {
                PartitionProgress<Finished> one = progress.get(partition);
                PartitionProgress.Committable<Finished> ready = one == null ? null : one.take();
                if (ready != null) {
                    outcomes.addAll(ready.outcomes());
                    offsets.put(partition, new OffsetAndMetadata(ready.nextOffset()));
                } else if (one != null) {
                    Long settled = one.settledAt(consumer.position(partition));
                    if (settled != null) {
                        offsets.put(partition, new OffsetAndMetadata(settled));
                    }
                }
            }
        }
        if (!offsets.isEmpty()) {
            write(outcomes, offsets, consumer.groupMetadata());
        }
    }

    private void write(List<Finished> outcomes, Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        List<Finished> batch = outcomes;
        for (int pass = 1; ; pass++) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            try {
                producer.beginTransaction();
                batch.forEach(finished -> sends.add(producer.send(finished.outcome())));
                producer.sendOffsetsToTransaction(offsets, group);
                producer.commitTransaction();
                return;
            } catch (KafkaException e) {
                // Aborting also waits for every send of the transaction, so all refusals are known below.
                abort(e);
                List<Finished> replaced = replacingTooLarge(batch, sends);
                if (replaced == null || pass == WRITE_PASSES) {
                    throw e;
                }
                LOG.warn("an outcome was refused as too large; writing the transaction again with it dead-lettered");
                batch = replaced;
            }
        }
    }

    private void abort(KafkaException cause) {
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            cause.addSuppressed(e);
            throw cause;
        }
    }

    /** The batch with every outcome the producer or broker refused as too large replaced by its dead letter; null when none was. */
    private List<Finished> replacingTooLarge(List<Finished> batch, List<Future<RecordMetadata>> sends) {
        List<Finished> replaced = new ArrayList<>(batch);
        boolean any = false;
        for (int i = 0; i < sends.size(); i++) {
            if (refusedAsTooLarge(sends.get(i))) {
                Work work = batch.get(i).work();
                replaced.set(i, new Finished(work, records.deadLetter(work, ReasonCode.OVERSIZED,
                        "the outcome record is larger than the topic accepts (max.message.bytes)")));
                any = true;
            }
        }
        return any ? replaced : null;
    }

    private static boolean refusedAsTooLarge(Future<RecordMetadata> send) {
        if (!send.isDone()) {
            return false;
        }
        try {
            send.get();
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof RecordTooLargeException;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int sizeUpperBound(ProducerRecord<byte[], byte[]> record) {
        long size = BATCH_OVERHEAD + length(record.key()) + length(record.value());
        for (Header header : record.headers()) {
            size += HEADER_OVERHEAD + header.key().getBytes(StandardCharsets.UTF_8).length + length(header.value());
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    synchronized void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(progress::remove);
    }

    void close(Duration timeout) {
        producer.close(timeout);
    }
}
