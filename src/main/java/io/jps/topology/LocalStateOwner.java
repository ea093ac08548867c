package io.jps.topology;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Which cluster, and which incarnation of each store changelog, the local state directory was built from. Local
 * state is only a cache of the changelogs; when the cluster was recreated (or a changelog deleted, as the
 * application reset tool does) and the state directory kept, Kafka Streams notices it for some tasks and keeps
 * the stale stores of others (seen with 4.3). A stale store of sent requests would take every request of a
 * resubmitted batch for a duplicate. Recorded in {@code <state-dir>/<application-id>.owner}, beside the
 * directory Kafka Streams owns (and wipes).
 */
final class LocalStateOwner {

    private static final String CLUSTER = "cluster.id";
    private static final String CHANGELOG_PREFIX = "changelog.";
    private static final Pattern TASK_DIRECTORY = Pattern.compile("\\d+_\\d+");
    private static final long TIMEOUT_SECONDS = 60;

    /** A cluster, and the topic id of each changelog that exists there (absent: not created yet). */
    record Owner(String clusterId, Map<String, String> changelogTopicIds) {
        Owner {
            changelogTopicIds = Map.copyOf(changelogTopicIds);
        }
    }

    private LocalStateOwner() {
    }

    static Owner of(Admin admin, Iterable<String> changelogTopics) throws InterruptedException {
        try {
            String clusterId = admin.describeCluster().clusterId().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<String, String> ids = new TreeMap<>();
            for (String topic : changelogTopics) {
                try {
                    TopicDescription description = admin.describeTopics(java.util.List.of(topic)).topicNameValues().get(topic)
                            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    ids.put(topic, description.topicId().toString());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                }
            }
            return new Owner(clusterId, ids);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot tell which cluster this is (" + e.getCause().getClass().getSimpleName() + ")");
        } catch (TimeoutException e) {
            throw new IllegalStateException("the cluster did not answer within " + TIMEOUT_SECONDS + " s describing itself");
        }
    }

    /** Why the local state cannot be used with {@code current}, or empty when it can (or there is none). */
    static Optional<String> staleness(Path stateDir, String applicationId, Owner current) {
        if (!hasTaskState(stateDir.resolve(applicationId))) {
            return Optional.empty();
        }
        Optional<Owner> recorded = read(file(stateDir, applicationId));
        if (recorded.isEmpty()) {
            return Optional.of("it carries no record of the cluster it was built from");
        }
        if (!recorded.get().clusterId().equals(current.clusterId())) {
            return Optional.of("it was built from cluster " + recorded.get().clusterId() + ", this is cluster "
                    + current.clusterId());
        }
        for (var changelog : recorded.get().changelogTopicIds().entrySet()) {
            String now = current.changelogTopicIds().get(changelog.getKey());
            if (!Objects.equals(now, changelog.getValue())) {
                return Optional.of("changelog topic " + changelog.getKey() + (now == null ? " no longer exists"
                        : " was deleted and created again") + " since it was built");
            }
        }
        return Optional.empty();
    }

    static void record(Path stateDir, String applicationId, Owner owner) {
        Properties properties = new Properties();
        properties.setProperty(CLUSTER, owner.clusterId());
        owner.changelogTopicIds().forEach((topic, id) -> properties.setProperty(CHANGELOG_PREFIX + topic, id));
        Path file = file(stateDir, applicationId);
        try {
            Files.createDirectories(stateDir);
            Path temporary = Files.createTempFile(stateDir, applicationId, ".owner.tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                properties.store(out, "the cluster and changelogs the local state of " + applicationId + " was built from");
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static Optional<Owner> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String cluster = properties.getProperty(CLUSTER);
        if (cluster == null) {
            return Optional.empty();
        }
        Map<String, String> ids = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(CHANGELOG_PREFIX)) {
                ids.put(name.substring(CHANGELOG_PREFIX.length()), properties.getProperty(name));
            }
        }
        return Optional.of(new Owner(cluster, ids));
    }

    private static boolean hasTaskState(Path applicationDir) {
        if (!Files.isDirectory(applicationDir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(applicationDir)) {
            return entries.anyMatch(entry -> Files.isDirectory(entry) && TASK_DIRECTORY.matcher(entry.getFileName().toString()).matches());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + applicationDir, e);
        }
    }

    private static Path file(Path stateDir, String applicationId) {
        return stateDir.resolve(applicationId + ".owner");
    }
}
