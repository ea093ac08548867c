package io.jps.kafka;

import io.jps.config.TopicSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pipeline's topics at start when they are absent, with the configured partitions and
 * replication, and reports existing ones whose partition count differs from the configuration.
 */
public final class TopicAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);
    private static final long TIMEOUT_SECONDS = 60;

    /** What was found: the topics created now, and the existing ones that differ from the configuration. */
    public record Report(List<String> created, List<String> mismatched) {
    }

    private TopicAdmin() {
    }

    public static Report ensure(Admin admin, List<TopicSpec> wanted) throws InterruptedException {
        List<String> created = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        Map<String, TopicSpec> byName = wanted.stream().collect(Collectors.toMap(TopicSpec::name, t -> t, (a, b) -> a));
        List<NewTopic> missing = new ArrayList<>();
        var descriptions = admin.describeTopics(byName.keySet()).topicNameValues();
        for (TopicSpec spec : byName.values()) {
            try {
                TopicDescription existing = descriptions.get(spec.name()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (existing.partitions().size() != spec.partitions()) {
                    String problem = spec.name() + " has " + existing.partitions().size() + " partitions, the configuration says "
                            + spec.partitions() + " (an existing topic is left as it is: change the topic or the configuration to match)";
                    LOG.warn("topic {}", problem);
                    mismatched.add(problem);
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("cannot describe topic " + spec.name() + ": " + e.getCause(), e.getCause());
                }
                missing.add(new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()));
            } catch (TimeoutException e) {
                throw new IllegalStateException("the cluster did not answer within " + TIMEOUT_SECONDS + " s describing " + spec.name());
            }
        }
        if (!missing.isEmpty()) {
            var results = admin.createTopics(missing).values();
            for (NewTopic topic : missing) {
                try {
                    results.get(topic.name()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    created.add(topic.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause(), e.getCause());
                    }
                } catch (TimeoutException e) {
                    throw new IllegalStateException("the cluster did not answer within " + TIMEOUT_SECONDS + " s creating " + topic.name());
                }
            }
            LOG.info("created topics {}", created);
        }
        return new Report(List.copyOf(created), List.copyOf(mismatched));
    }
}
