package io.jps.topology;

import io.jps.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/**
 * SEAL remembers a request in the task of its partition, the sealed request keeps that partition, and the
 * dispatcher answers into the same partition of {@code payments.responses}: so the three topics must have the
 * same number of partitions, or an answer would reach a task that never saw its request. Checked at start,
 * against the cluster.
 */
public final class CoPartitioning {

    private static final long TIMEOUT_SECONDS = 60;

    private CoPartitioning() {
    }

    public static void check(Admin admin, PipelineTopics topics) throws InterruptedException {
        List<String> names = List.of(topics.requests().name(), topics.sealed().name(), topics.responses().name());
        Map<String, Integer> partitions = new LinkedHashMap<>();
        var descriptions = admin.describeTopics(names).topicNameValues();
        for (String name : names) {
            try {
                partitions.put(name, descriptions.get(name).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).partitions().size());
            } catch (ExecutionException e) {
                throw new ConfigException("cannot describe topic " + name + " (" + e.getCause().getClass().getSimpleName() + ")");
            } catch (TimeoutException e) {
                throw new ConfigException("the cluster did not answer within " + TIMEOUT_SECONDS + " s describing " + name);
            }
        }
        if (partitions.values().stream().distinct().count() > 1) {
            StringBuilder found = new StringBuilder();
            partitions.forEach((name, count) -> found.append(found.length() == 0 ? "" : ", ").append(name).append(" has ")
                    .append(count));
            throw new ConfigException("requests, sealed requests and responses must be co-partitioned (each answer is opened "
                    + "in the partition its request was sealed in), but " + found + " partitions: give them the same count");
        }
    }
}
