package io.jps.cli;

import io.jps.app.Demo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The embedded default: an in-process Kafka broker, the provider sandbox, throwaway keys, every stage",
                "and the metrics endpoint; pushes a mixed batch through and prints what became of it.",
                "Uses its own configuration and keys (JPS_* environment variables still apply)."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    LogFormatOption logFormat;

    @Option(names = "--requests", defaultValue = "1000", description = "requests in the batch (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the sandbox's faults (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--no-faults", description = "a well-behaved sandbox: no 5xx, 429, resets, tampering or forged answers")
    boolean noFaults;

    @Option(names = "--metrics-port", defaultValue = "9464",
            description = "port of the status page, /metrics and /health/* (default: ${DEFAULT-VALUE})")
    int metricsPort;

    @Option(names = "--keep-running", description = "keep everything running after the batch, until Ctrl-C")
    boolean keepRunning;

    @Override
    public Integer call() throws Exception {
        if (requests < 1) {
            spec.commandLine().getErr().println("--requests must be at least 1");
            return Main.EXIT_USAGE;
        }
        return Demo.run(new Demo.Options(requests, seed, !noFaults, metricsPort, keepRunning), spec.commandLine().getOut());
    }
}
