package io.jps.cli;

import io.jps.bench.SealOpenBenchmark;
import io.jps.config.PipelineConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = BenchRefundsCommand.class,
        description = {"Measures seal/s and open/s per provider against this machine's raw RSA-2048 speed.",
                "One thread and all cores, each against raw RSA-2048 sign/s (openssl speed, else the JDK) measured",
                "in the same run.",
                "Uses throwaway keys; set crypto.provider (JPS_CRYPTO_PROVIDER=jdk) to compare backends.",
                "`bench refunds` measures batch refunds through the whole pipeline instead."})
final class BenchCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--seconds", defaultValue = "5", description = "measuring time per figure (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--warmup", defaultValue = "2", description = "warm-up time per figure (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--threads", description = "threads for the all-cores figures (default: the number of cores)")
    Integer threads;

    @Option(names = "--providers", split = ",", description = "providers to measure (default: all)")
    List<String> providers;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PipelineConfig config = common.loadConfig();
        List<String> chosen = providers != null ? providers : config.providers().keySet().stream().sorted().toList();
        for (String provider : chosen) {
            if (!config.providers().containsKey(provider)) {
                spec.commandLine().getErr().println("UNKNOWN_PROVIDER: no profile '" + provider + "'");
                return Main.EXIT_USAGE;
            }
        }
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        SealOpenBenchmark.Report report = SealOpenBenchmark.run(config, new SealOpenBenchmark.Options(
                Duration.ofSeconds(warmup), Duration.ofSeconds(seconds), threadCount, chosen), out);
        SealOpenBenchmark.print(report, out);
        return 0;
    }
}
