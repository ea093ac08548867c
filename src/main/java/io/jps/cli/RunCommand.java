package io.jps.cli;

import io.jps.app.PipelineNode;
import io.jps.app.Role;
import io.jps.engine.Engine;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the pipeline against a real Kafka cluster until stopped (SIGTERM, Ctrl-C).",
                "Scale out by starting more processes with the same configuration."})
final class RunCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Mixin
    LogFormatOption logFormat;

    @Option(names = "--role", defaultValue = "all", description = "all, seal-open (the Kafka Streams stages) or dispatcher")
    String role;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--metrics-port", description = "port of the status page, /metrics and /health/* (default: metrics.port of the configuration)")
    Integer metricsPort;

    @Option(names = "--metrics-host", defaultValue = "0.0.0.0", description = "address to serve metrics on (default: ${DEFAULT-VALUE})")
    String metricsHost;

    @Option(names = "--state-dir", defaultValue = "state", description = "Kafka Streams state directory (default: ${DEFAULT-VALUE})")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        Role chosen;
        try {
            chosen = Role.parse(role);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("--role must be all, seal-open or dispatcher");
            return Main.EXIT_USAGE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (Engine engine = common.engine()) {
            int port = metricsPort != null ? metricsPort : engine.config().metrics().port();
            PipelineNode node = PipelineNode.start(engine, chosen, kafka.connect(engine.config()), stateDir, metricsHost, port);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                node.close();
                stopped.countDown();
            }, "jps-shutdown"));
            stopped.await();
        }
        return 0;
    }
}
