package io.jps.topology;

import io.jps.engine.Engine;
import io.jps.kafka.KafkaConnection;
import io.jps.observe.PipelineMetrics;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running seal and open stages: one Kafka Streams instance over {@link PipelineTopology}. Scaling out is
 * the Kafka way: more instances with the same {@code applicationId}. A failure that escapes the stages
 * replaces the stream thread (exactly-once: it resumes from the last commit) instead of stopping the process.
 */
public final class SealOpenStages implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SealOpenStages.class);

    private final KafkaStreams streams;

    private SealOpenStages(KafkaStreams streams) {
        this.streams = streams;
    }

    public static SealOpenStages start(Engine engine, PipelineTopics topics, PipelineMetrics metrics, KafkaConnection kafka,
                                       Path stateDir) {
        KafkaStreams streams = new KafkaStreams(PipelineTopology.build(topics, engine, metrics),
                StreamsSettings.of(engine.config(), topics, kafka, stateDir, metrics));
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("stream thread failed ({}); replacing it", exception.getClass().getName());
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> LOG.info("seal/open stages: {} -> {}", before, now));
        streams.start();
        return new SealOpenStages(streams);
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
