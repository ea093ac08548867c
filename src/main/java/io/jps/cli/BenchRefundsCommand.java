package io.jps.cli;

import io.jps.bench.RefundBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "refunds", mixinStandardHelpOptions = true,
        description = {"Measures rows/s through `refunds submit --wait` on the embedded default (broker, sandbox, stages in",
                "this JVM; the submitter in a JVM of its own with a small heap), and the peak heap of both."})
final class BenchRefundsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--rows", defaultValue = "100000", description = "refunds in the file (default: ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--submitter-heap", defaultValue = "64m", description = "-Xmx of the submitting JVM (default: ${DEFAULT-VALUE})")
    String submitterHeap;

    @Override
    public Integer call() throws Exception {
        if (rows < 1) {
            spec.commandLine().getErr().println("--rows must be at least 1");
            return Main.EXIT_USAGE;
        }
        RefundBenchmark.Options options = new RefundBenchmark.Options(rows, submitterHeap);
        RefundBenchmark.Report report = RefundBenchmark.run(options, spec.commandLine().getOut());
        RefundBenchmark.print(report, options, spec.commandLine().getOut());
        return report.submitExitCode() == 0 ? 0 : 1;
    }
}
