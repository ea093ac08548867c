package io.jps.dlq;

import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** What the dead-letter tools ask the cluster about a topic. */
final class TopicDescriptions {

    private static final long TIMEOUT_SECONDS = 60;

    private TopicDescriptions() {
    }

    /** The topic's id, or null when it does not exist. */
    static Uuid topicId(Admin admin, String topic) throws InterruptedException {
        TopicDescription description = describe(admin, topic);
        return description == null ? null : description.topicId();
    }

    static int partitionCount(Admin admin, String topic) throws InterruptedException {
        TopicDescription description = describe(admin, topic);
        if (description == null) {
            throw new IllegalArgumentException("topic " + topic + " does not exist");
        }
        return description.partitions().size();
    }

    private static TopicDescription describe(Admin admin, String topic) throws InterruptedException {
        try {
            return admin.describeTopics(Set.of(topic)).topicNameValues().get(topic).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the cluster did not answer within " + TIMEOUT_SECONDS + " s about " + topic);
        }
    }
}
