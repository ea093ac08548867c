package io.jps.topology;

import io.jps.attest.Attestor;
import io.jps.engine.Engine;
import io.jps.kafka.KafkaConnection;
import io.jps.observe.PipelineMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running seal and open stages: one Kafka Streams instance over {@link PipelineTopology}. Scaling out is
 * the Kafka way: more instances with the same {@code applicationId}. A failure that escapes the stages
 * replaces the stream thread (exactly-once: it resumes from the last commit) instead of stopping the process.
 * Local state built from another cluster is wiped before start, so that it is rebuilt from this cluster's
 * changelogs instead of answering for records it never saw.
 */
public final class SealOpenStages implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SealOpenStages.class);

    private final KafkaStreams streams;

    private SealOpenStages(KafkaStreams streams) {
        this.streams = streams;
    }

    public static SealOpenStages start(Engine engine, Attestor attestor, PipelineTopics topics, PipelineMetrics metrics,
                                       KafkaConnection kafka, Path stateDir) throws InterruptedException {
        String applicationId = engine.config().applicationId();
        List<String> changelogs = List.of(applicationId + "-" + SentRequests.STORE + "-changelog");
        KafkaStreams streams = new KafkaStreams(PipelineTopology.build(topics, engine, attestor, metrics),
                StreamsSettings.of(engine.config(), topics, kafka, stateDir, metrics));
        LocalStateOwner.Owner owner;
        try (Admin client = kafka.admin()) {
            owner = LocalStateOwner.of(client, changelogs);
        }
        var staleness = LocalStateOwner.staleness(stateDir, applicationId, owner);
        if (staleness.isPresent()) {
            LOG.warn("local state in {} is not this cluster's: {}; wiping it, to rebuild it from the changelogs",
                    stateDir.resolve(applicationId), staleness.get());
            streams.cleanUp();
        }
        LocalStateOwner.record(stateDir, applicationId, owner);

        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("stream thread failed ({}); replacing it", exception.getClass().getName());
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        AtomicBoolean ownerComplete = new AtomicBoolean(owner.changelogTopicIds().size() == changelogs.size());
        streams.setStateListener((now, before) -> {
            LOG.info("seal/open stages: {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING && ownerComplete.compareAndSet(false, true)) {
                // The changelogs exist now: record which ones, off the stream thread.
                Thread recorder = new Thread(() -> recordOwner(kafka, stateDir, applicationId, changelogs), "jps-state-owner");
                recorder.setDaemon(true);
                recorder.start();
            }
        });
        streams.start();
        return new SealOpenStages(streams);
    }

    private static void recordOwner(KafkaConnection kafka, Path stateDir, String applicationId, List<String> changelogs) {
        try (Admin client = kafka.admin()) {
            LocalStateOwner.record(stateDir, applicationId, LocalStateOwner.of(client, changelogs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("cannot record which changelogs the local state was built from ({}); the next start checks the cluster only",
                    e.getClass().getSimpleName());
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /**
     * Stops and leaves the consumer group at once, so that other instances (or this one, restarted) take the
     * partitions over now rather than after the session timeout.
     */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }
}
