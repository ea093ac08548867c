package io.jps.dispatch;

import java.time.Duration;
import java.util.Collection;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands partitions over cleanly: before a partition goes, what is in flight for it finishes (up to the drain time)
 * and its outcomes are committed, so the next owner starts after them instead of sending them again.
 */
final class DrainingRebalance implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(DrainingRebalance.class);

    private final LaneScheduler lanes;
    private final OutcomeCommitter committer;
    private final Consumer<?, ?> consumer;
    private final Duration drainTimeout;
    private final BooleanSupplier running;

    DrainingRebalance(LaneScheduler lanes, OutcomeCommitter committer, Consumer<?, ?> consumer, Duration drainTimeout,
                      BooleanSupplier running) {
        this.lanes = lanes;
        this.committer = committer;
        this.consumer = consumer;
        this.drainTimeout = drainTimeout;
        this.running = running;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        lanes.draining(true);
        if (!lanes.awaitIdle(partitions, drainTimeout)) {
            LOG.warn("requests still in flight after dispatcher.drainTimeout; the next owner of their partitions sends them again");
        }
        try {
            committer.commit(partitions, consumer);
        } catch (RuntimeException e) {
            LOG.warn("commit on revocation failed ({}); those records will be sent again", e.getClass().getSimpleName());
        }
        forget(partitions);
        lanes.draining(!running.getAsBoolean());
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        LOG.info("dispatcher assigned {} partition(s)", partitions.size());
    }

    private void forget(Collection<TopicPartition> partitions) {
        lanes.forget(partitions);
        committer.forget(partitions);
    }
}
