package io.jps.kafka;

import io.jps.config.ConfigException;
import io.jps.config.TopicSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's topics at start: created when absent ({@link #ensure}), or only checked ({@link #check}) where
 * the app's principal may not create topics. Also the first call to the cluster, so the place where refused
 * credentials and missing ACLs turn into one clear message.
 */
public final class TopicAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);
    private static final long TIMEOUT_SECONDS = 60;

    /** What was found: the topics created now, and the existing ones that differ from the configuration. */
    public record Report(List<String> created, List<String> mismatched) {
    }

    private TopicAdmin() {
    }

    /** How many brokers the cluster has: no topic can have more replicas. */
    public static int brokerCount(Admin admin) throws InterruptedException {
        String doing = "describing the cluster";
        try {
            return admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).size();
        } catch (ExecutionException e) {
            throw failure(doing, e.getCause());
        } catch (TimeoutException e) {
            throw timedOut(doing);
        }
    }

    /** Creates the missing topics; an existing one with another partition count is reported and left as it is. */
    public static Report ensure(Admin admin, List<TopicSpec> wanted) throws InterruptedException {
        Map<String, TopicSpec> byName = byName(wanted);
        Map<String, OptionalInt> found = partitions(admin, byName.keySet());
        List<String> mismatched = new ArrayList<>();
        List<NewTopic> missing = new ArrayList<>();
        for (TopicSpec spec : byName.values()) {
            OptionalInt partitions = found.get(spec.name());
            if (partitions.isEmpty()) {
                missing.add(new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor())
                        .configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(spec.minInsyncReplicas()))));
            } else if (partitions.getAsInt() != spec.partitions()) {
                String problem = partitionProblem(spec, partitions.getAsInt())
                        + " (an existing topic is left as it is: change the topic or the configuration to match)";
                LOG.warn("topic {}", problem);
                mismatched.add(problem);
            }
        }
        List<String> created = create(admin, missing);
        if (!created.isEmpty()) {
            awaitKnown(admin, created);
            LOG.info("created topics {}", created);
        }
        return new Report(List.copyOf(created), List.copyOf(mismatched));
    }

    /** Fails, naming every topic concerned, when one is missing or has another partition count than configured. */
    public static void check(Admin admin, List<TopicSpec> wanted) throws InterruptedException {
        Map<String, TopicSpec> byName = byName(wanted);
        Map<String, OptionalInt> found = partitions(admin, byName.keySet());
        List<String> problems = new ArrayList<>();
        for (TopicSpec spec : byName.values()) {
            OptionalInt partitions = found.get(spec.name());
            if (partitions.isEmpty()) {
                problems.add(spec.name() + " does not exist (expected with " + spec.partitions() + " partitions)");
            } else if (partitions.getAsInt() != spec.partitions()) {
                problems.add(partitionProblem(spec, partitions.getAsInt()));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("topics.create is false, and the cluster's topics differ from the configuration: "
                    + String.join("; ", problems));
        }
    }

    private static String partitionProblem(TopicSpec spec, int found) {
        return spec.name() + " has " + found + " partitions, the configuration says " + spec.partitions();
    }

    private static Map<String, TopicSpec> byName(List<TopicSpec> wanted) {
        return wanted.stream().collect(Collectors.toMap(TopicSpec::name, t -> t, (a, b) -> a, LinkedHashMap::new));
    }

    /** Each topic's partition count, or empty where it does not exist. */
    private static Map<String, OptionalInt> partitions(Admin admin, Set<String> names) throws InterruptedException {
        var descriptions = admin.describeTopics(names).topicNameValues();
        Map<String, OptionalInt> found = new LinkedHashMap<>();
        for (String name : names) {
            String doing = "describing topic " + name;
            try {
                found.put(name, OptionalInt.of(descriptions.get(name).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).partitions().size()));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw failure(doing, e.getCause());
                }
                found.put(name, OptionalInt.empty());
            } catch (TimeoutException e) {
                throw timedOut(doing);
            }
        }
        return found;
    }

    private static List<String> create(Admin admin, List<NewTopic> missing) throws InterruptedException {
        List<String> created = new ArrayList<>();
        if (missing.isEmpty()) {
            return created;
        }
        var results = admin.createTopics(missing).values();
        for (NewTopic topic : missing) {
            String doing = "creating topic " + topic.name();
            try {
                results.get(topic.name()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                created.add(topic.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw failure(doing, e.getCause());
                }
            } catch (TimeoutException e) {
                throw timedOut(doing);
            }
        }
        return created;
    }

    /**
     * The controller has created the topics when {@code createTopics} answers; a broker learns of them a moment
     * later, and until then describes them as unknown to the next client that asks.
     */
    private static void awaitKnown(Admin admin, List<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (partitions(admin, new LinkedHashSet<>(names)).values().stream().anyMatch(OptionalInt::isEmpty)) {
            if (System.nanoTime() > deadline) {
                throw timedOut("waiting for the brokers to know the topics just created");
            }
            Thread.sleep(50);
        }
    }

    private static IllegalStateException timedOut(String doing) {
        return new IllegalStateException("the cluster did not answer within " + TIMEOUT_SECONDS + " s " + doing);
    }

    /** Refused credentials and missing ACLs are the configuration's fault; Kafka's messages for them name no secret. */
    private static RuntimeException failure(String doing, Throwable cause) {
        if (cause instanceof AuthenticationException) {
            return new ConfigException("Kafka refused this client's credentials " + doing + " (" + cause.getMessage()
                    + "): check security.protocol, sasl.* and ssl.* in the kafka properties file");
        }
        if (cause instanceof AuthorizationException) {
            return new ConfigException("Kafka refused " + doing + " (" + cause.getMessage() + "): the principal lacks an ACL "
                    + "that README.md, \"Running against a secured cluster\", lists for this role");
        }
        return new IllegalStateException(doing + ": " + cause, cause);
    }
}
