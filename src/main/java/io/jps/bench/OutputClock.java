package io.jps.bench;

import io.jps.kafka.KafkaConnection;
import io.jps.topology.HeaderNames;
import io.jps.topology.RecordIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * When each record of a stage's output arrived, by requestId, read on a thread of its own as soon as it is
 * committed: a stage's output records carry their input's timestamp, not the time they were written, so the
 * benchmark clocks them itself.
 */
final class OutputClock implements AutoCloseable {

    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread reader;
    private volatile long measuringSince = -1;
    private volatile long last = -1;
    private volatile int measuredFrom;

    OutputClock(KafkaConnection kafka, String topic) {
        KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-output-clock",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000));
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.reader = new Thread(() -> {
            try (consumer) {
                while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                        long now = System.nanoTime();
                        String id = RecordIdentity.text(record.headers(), HeaderNames.REQUEST_ID);
                        if (id != null && arrivals.putIfAbsent(id, now) == null) {
                            last = now;
                        }
                    }
                }
            }
        }, "bench-output-clock");
        reader.setDaemon(true);
        reader.start();
    }

    int count() {
        return arrivals.size();
    }

    /** Waits until {@code count} records have arrived; false when {@code max} passed first. */
    boolean awaitCount(int count, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (arrivals.size() < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    Long arrival(String requestId) {
        return arrivals.get(requestId);
    }

    /** From now on the records that arrive are the measured ones (what came before warmed up). */
    void startMeasuring() {
        measuredFrom = arrivals.size();
        measuringSince = System.nanoTime();
    }

    int measuredFrom() {
        return measuredFrom;
    }

    /** When {@link #startMeasuring()} was called: a stage's throughput includes filling its pipeline. */
    long measuringSinceNanos() {
        return measuringSince;
    }

    long lastNanos() {
        return last;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        reader.join(5_000);
    }
}
