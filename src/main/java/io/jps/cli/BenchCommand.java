package io.jps.cli;

import io.jps.bench.SealOpenBenchmark;
import io.jps.bench.StageBenchmark;
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
                "--stage seal|open|loop measures a Kafka stage on the embedded broker instead (records preloaded, then timed from",
                "letting the stage go to its last output record; then latency at half that rate); `bench refunds` measures batch refunds."})
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

    @Option(names = "--providers", split = ",", description = "providers to measure (default: all; with --stage: juspay)")
    List<String> providers;

    @Option(names = "--stage", description = "seal, open or loop: a Kafka stage on the embedded broker instead of the engine alone")
    String stage;

    @Option(names = "--records", defaultValue = "20000", description = "with --stage: records preloaded (default: ${DEFAULT-VALUE})")
    int records;

    @Option(names = "--warmup-records", defaultValue = "5000", description = "with --stage: records a warm-up round runs "
            + "through the stage; rounds go on until the JIT compiler has settled (default: ${DEFAULT-VALUE})")
    int warmupRecords;

    @Option(names = "--no-settle", description = "with --stage: warm up one round only, JIT compiler settled or not")
    boolean noSettle;

    @Option(names = "--processes", defaultValue = "0", description = "with --stage: app processes of their own (`run`, each with "
            + "--threads stream threads) that share the stages, and for the loop the dispatcher, the Kafka way; 0 runs them in "
            + "this JVM (default: ${DEFAULT-VALUE})")
    int processes;

    @Option(names = "--partitions", defaultValue = "6", description = "with --stage: partitions of the pipeline's topics "
            + "(default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--latency-load", defaultValue = "0.5", description = "with --stage: the share of the measured throughput "
            + "the latency phase runs at (default: ${DEFAULT-VALUE})")
    double latencyLoad;

    @Option(names = "--kafka-properties", paramLabel = "FILE",
            description = "with --stage: Kafka client properties to try (e.g. streams.commit.interval.ms=200)")
    java.nio.file.Path kafkaProperties;

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
        if (stage != null) {
            if (processes < 0) {
                spec.commandLine().getErr().println("--processes must be 0 (this JVM) or more");
                return Main.EXIT_USAGE;
            }
            StageBenchmark.Stage chosenStage;
            try {
                chosenStage = StageBenchmark.Stage.valueOf(stage.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("--stage must be seal, open or loop");
                return Main.EXIT_USAGE;
            }
            StageBenchmark.Report report = StageBenchmark.run(new StageBenchmark.Options(chosenStage, records, warmupRecords, !noSettle, threadCount,
                    processes, partitions, providers != null ? providers.get(0) : "juspay", latencyLoad, kafkaProperties), out);
            StageBenchmark.print(report, out);
            return 0;
        }
        SealOpenBenchmark.Report report = SealOpenBenchmark.run(config, new SealOpenBenchmark.Options(
                Duration.ofSeconds(warmup), Duration.ofSeconds(seconds), threadCount, chosen), out);
        SealOpenBenchmark.print(report, out);
        return 0;
    }
}
