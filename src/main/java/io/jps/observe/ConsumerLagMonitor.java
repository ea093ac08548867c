package io.jps.observe;

import io.jps.profile.Stage;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer lag of each stage's group, from the broker's view: the group's committed offsets against the
 * topic's last stable offsets, summed over partitions, refreshed on a schedule with the Admin client.
 *
 * <p>Why not the consumers' own {@code records-lag-max}: that is one instance's maximum over the partitions it
 * happens to own, updated only while it fetches, so it goes stale or vanishes exactly when a stage has stopped
 * consuming, and it describes positions in memory rather than what a restart would resume from. Committed
 * offsets say how far behind the group is whether its members are alive or not, and every instance reports
 * the same figure (dashboards take the {@code max} over instances).
 */
public final class ConsumerLagMonitor implements AutoCloseable {

    /** One consumer group reading one topic for one stage. */
    public record Watched(Stage stage, String group, String topic) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagMonitor.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;
    private final List<Watched> watched;
    private final Map<Watched, Double> lag = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private boolean failing;

    private ConsumerLagMonitor(Admin admin, List<Watched> watched) {
        this.admin = admin;
        this.watched = List.copyOf(watched);
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "jps-consumer-lag");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Registers {@code jps_consumer_lag_records} for each of {@code watched} and refreshes it every {@code interval}; owns {@code admin}. */
    public static ConsumerLagMonitor start(Admin admin, List<Watched> watched, PipelineMetrics metrics, Duration interval) {
        ConsumerLagMonitor monitor = new ConsumerLagMonitor(admin, watched);
        for (Watched one : monitor.watched) {
            metrics.consumerLag(one.stage(), one.group(), one.topic(), () -> monitor.lag.getOrDefault(one, Double.NaN));
        }
        monitor.timer.scheduleWithFixedDelay(monitor::refreshQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return monitor;
    }

    private void refreshQuietly() {
        try {
            lag.putAll(measure());
            if (failing) {
                LOG.info("consumer lag measured again");
                failing = false;
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            if (!failing) {
                // The gauges keep their last figures; not-ready and broker alerts say why nothing moves.
                LOG.warn("cannot measure consumer lag: {}", (e instanceof ExecutionException ? e.getCause() : e).getClass().getName());
                failing = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Map<Watched, Double> measure() throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> topics = watched.stream().map(Watched::topic).collect(Collectors.toSet());
        Map<String, List<TopicPartition>> partitions = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .forEach((topic, description) -> partitions.put(topic, description.partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList()));
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        partitions.values().forEach(list -> list.forEach(p -> {
            latest.put(p, OffsetSpec.latest());
            earliest.put(p, OffsetSpec.earliest());
        }));
        // The stages read committed: an open transaction's records are not theirs to consume yet.
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest,
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<String, ListConsumerGroupOffsetsSpec> groups = new HashMap<>();
        watched.forEach(w -> groups.put(w.group(), new ListConsumerGroupOffsetsSpec()));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = admin.listConsumerGroupOffsets(groups).all()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        Map<Watched, Double> measured = new HashMap<>();
        for (Watched one : watched) {
            Map<TopicPartition, OffsetAndMetadata> offsets = committed.getOrDefault(one.group(), Map.of());
            long behind = 0;
            for (TopicPartition partition : partitions.getOrDefault(one.topic(), List.of())) {
                OffsetAndMetadata position = offsets.get(partition);
                // A group that never committed here starts from the earliest record (auto.offset.reset=earliest).
                long from = position != null ? position.offset() : starts.get(partition).offset();
                behind += Math.max(0, ends.get(partition).offset() - from);
            }
            measured.put(one, (double) behind);
        }
        return measured;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
