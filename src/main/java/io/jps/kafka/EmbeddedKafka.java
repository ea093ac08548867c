package io.jps.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka cluster inside this JVM: one KRaft process that is both controller and broker,
 * on loopback only, with its data in a fresh directory that {@link #close()} deletes. For the {@code demo}
 * command and the integration tests; a production cluster is always an external one.
 *
 * <p>It is started the way {@code kafka-storage.sh format} and {@code kafka-server-start.sh} start a node,
 * minus the parts that exit the JVM: {@link StorageTool#execute} formats the storage, {@link KafkaRaftServer}
 * runs the node. Kafka still treats some failures of the node as fatal to the whole process, as in a real
 * broker: the controller failing to start (its port taken, say) or a fatal fault in the quorum controller or
 * the Raft layer halts this JVM. Kafka's own tests swap those fault handlers through internal constructors.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /**
     * How the node listens and authenticates: its listeners on the free loopback ports it is given (the controller
     * quorum included), anything the storage format adds (SCRAM credentials, say), and how a client reaches it.
     */
    public interface Listeners {

        /** How many loopback ports the listeners need. */
        int portCount();

        /** Listener, quorum and security settings of the node, for these ports. */
        Properties nodeConfig(List<Integer> ports);

        /** More arguments to {@code kafka-storage format}, e.g. {@code --add-scram}. */
        List<String> formatArguments();

        /** The client settings (with {@code bootstrap.servers}) that reach the node, for these ports. */
        Map<String, Object> clientConfig(List<Integer> ports);
    }

    /** One plaintext listener for clients and brokers, one for the controller: the demo's and most tests' node. */
    public static final Listeners PLAINTEXT = new Listeners() {
        @Override
        public int portCount() {
            return 2;
        }

        @Override
        public Properties nodeConfig(List<Integer> ports) {
            Properties config = new Properties();
            // a static quorum of one: formatting needs no initial-controller list and the node elects itself at once
            config.put("controller.quorum.voters", "1@" + LOOPBACK + ":" + ports.get(1));
            config.put("controller.listener.names", "CONTROLLER");
            config.put("listeners", "PLAINTEXT://" + LOOPBACK + ":" + ports.get(0) + ",CONTROLLER://" + LOOPBACK + ":" + ports.get(1));
            config.put("advertised.listeners", "PLAINTEXT://" + LOOPBACK + ":" + ports.get(0));
            config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            config.put("inter.broker.listener.name", "PLAINTEXT");
            return config;
        }

        @Override
        public List<String> formatArguments() {
            return List.of();
        }

        @Override
        public Map<String, Object> clientConfig(List<Integer> ports) {
            return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LOOPBACK + ":" + ports.get(0));
        }
    };

    public static final String LOOPBACK = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    // The listener ports are probed free, released, and bound by the node a moment later. Ports the kernel
    // picks by itself (a bind to port 0, the local end of every outgoing connection) come from the ephemeral
    // range, 32768-60999 on Linux, where any process's next connection could take a probed port in that
    // moment. Below it, only another listener choosing the very same port can.
    private static final int LOWEST_PORT = 10_000;
    private static final int HIGHEST_PORT = 32_767;
    // If the broker port is taken all the same, the node fails to start and a fresh pair of ports is the cure.
    // (Were it the controller port, Kafka would halt the JVM: see the class comment.)
    private static final int START_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final Map<String, Object> clientConfig;
    private final List<Integer> ports;
    private final Path dataDir;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, Map<String, Object> clientConfig, List<Integer> ports, Path dataDir) {
        this.server = server;
        this.clientConfig = clientConfig;
        this.ports = ports;
        this.dataDir = dataDir;
    }

    /**
     * Starts a plaintext node with its data in a new directory under {@code parentDir} (created if missing) and
     * returns once a client can use it.
     */
    public static EmbeddedKafka start(Path parentDir) {
        return start(parentDir, PLAINTEXT);
    }

    /** Starts a node that listens as {@code listeners} say, and returns once their client can use it. */
    public static EmbeddedKafka start(Path parentDir, Listeners listeners) {
        for (int attempt = 1; ; attempt++) {
            Path dataDir = newDataDir(parentDir);
            try {
                return startIn(dataDir, listeners);
            } catch (RuntimeException e) {
                deleteRecursively(dataDir);
                if (attempt == START_ATTEMPTS || !isPortTaken(e)) {
                    throw e;
                }
            }
        }
    }

    /** {@code host:port} of the listener {@link Listeners#clientConfig} names, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return (String) clientConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    }

    /** The loopback ports the listeners were given, in the order {@link Listeners#nodeConfig} received them. */
    public List<Integer> ports() {
        return ports;
    }

    /** The node's own directory: configuration and logs. Gone after {@link #close()}. */
    public Path dataDir() {
        return dataDir;
    }

    /** Shuts the node down (its ports are free again when this returns) and deletes its data. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop(server);
        deleteRecursively(dataDir);
    }

    private static EmbeddedKafka startIn(Path dataDir, Listeners listeners) {
        List<Integer> ports = freeLoopbackPorts(listeners.portCount());
        Properties config = nodeConfig(dataDir.resolve("logs"));
        config.putAll(listeners.nodeConfig(ports));
        format(config, dataDir.resolve("server.properties"), listeners.formatArguments());

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        EmbeddedKafka kafka = new EmbeddedKafka(server, Map.copyOf(listeners.clientConfig(ports)), ports, dataDir);
        try {
            server.startup();
            kafka.awaitReady();
            return kafka;
        } catch (RuntimeException e) {
            stop(server);
            throw e;
        }
    }

    private static Properties nodeConfig(Path logDir) {
        Properties config = new Properties();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("log.dirs", logDir.toString());
        // The internal topics default to 3 replicas and a min ISR of 2, which one node can never satisfy: the
        // group and transaction coordinators would never come up, and exactly-once clients hang without an error.
        config.put("offsets.topic.replication.factor", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        // Fifty partitions each exist to spread the coordinators over many brokers; with one broker they only
        // make the first transactional producer and the first consumer group wait (about 0.5 s each) for them.
        config.put("offsets.topic.num.partitions", "1");
        config.put("transaction.state.log.num.partitions", "1");
        // the 3 s wait for more members before a group's first rebalance only slows every start
        config.put("group.initial.rebalance.delay.ms", "0");
        // the log cleaner allocates its whole dedupe buffer (128 MiB by default) on the heap when it starts
        config.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        return config;
    }

    // `format` without --release-version picks the latest production metadata version (never an unstable one
    // unless unstable.feature.versions.enable is set); the integration test checks that.
    private static void format(Properties config, Path configFile, List<String> moreArguments) {
        try (OutputStream out = Files.newOutputStream(configFile)) {
            config.store(out, "embedded single-node KRaft cluster");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        // Transactions v2 (4.x's default) made this single node answer the Streams producers' first transactions
        // with CONCURRENT_TRANSACTIONS and OutOfOrderSequence errors under a burst, recovered only by retries
        // and aborts; version 1 runs the same exactly-once pipeline without them.
        List<String> args = new ArrayList<>(List.of("format", "--config", configFile.toString(),
                "--cluster-id", Uuid.randomUuid().toString(), "--feature", "transaction.version=1"));
        args.addAll(moreArguments);
        int exitCode = StorageTool.execute(args.toArray(String[]::new), new PrintStream(output, true, StandardCharsets.UTF_8));
        if (exitCode != 0) {
            throw new IllegalStateException("Formatting " + configFile.getParent() + " failed: "
                    + output.toString(StandardCharsets.UTF_8).strip());
        }
    }

    // The broker opens its listener before it has caught up with the metadata log and been unfenced; only an
    // answer naming a live broker means producers and consumers will work.
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(clientConfig)) {
            while (true) {
                long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMillis <= 0) {
                    throw new IllegalStateException("Embedded Kafka at " + bootstrapServers() + " not ready after " + READY_TIMEOUT);
                }
                try {
                    if (!admin.describeCluster().nodes().get(remainingMillis, TimeUnit.MILLISECONDS).isEmpty()) {
                        return;
                    }
                    Thread.sleep(50);
                } catch (ExecutionException | TimeoutException e) {
                    // not answering yet: ask again until the deadline
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for embedded Kafka", e);
                }
            }
        }
    }

    private static void stop(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    // The sockets stay open until all are found, so the ports differ from one another.
    private static List<Integer> freeLoopbackPorts(int count) {
        List<ServerSocket> probes = new ArrayList<>();
        try {
            InetAddress loopback = InetAddress.getByName(LOOPBACK);
            while (probes.size() < count) {
                int candidate = ThreadLocalRandom.current().nextInt(LOWEST_PORT, HIGHEST_PORT + 1);
                try {
                    probes.add(new ServerSocket(candidate, 1, loopback));
                } catch (BindException inUse) {
                    // someone listens there already
                }
            }
            return probes.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not probe for free ports on " + LOOPBACK, e);
        } finally {
            probes.forEach(EmbeddedKafka::closeQuietly);
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // a probe socket that will not close leaves nothing behind worth reporting
        }
    }

    private static boolean isPortTaken(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static Path newDataDir(Path parentDir) {
        try {
            Files.createDirectories(parentDir);
            return Files.createTempDirectory(parentDir, "kraft-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + dir, e);
        }
    }
}
