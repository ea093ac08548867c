package io.jps.cli;

import io.jps.config.PipelineConfig;
import io.jps.observe.ObservabilityServer;
import io.jps.observe.PipelineMetrics;
import io.jps.refunds.BatchRefunds;
import io.jps.refunds.RefundBatch;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Checks every row of a refund file, then sends one refund request per row to payments.requests.",
                "The requestId comes from the row (Juspay: unique_request_id), so a file sent again pays nobody twice.",
                "Exit codes: 0 every row succeeded; 1 some failed or went to a dead-letter topic; 2 invalid input, nothing",
                "sent; 3 --wait timed out with rows missing."})
final class RefundsSubmitCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    RefundFileOptions refunds;

    @Spec
    CommandSpec spec;

    @Option(names = "--wait", description = "follow the results and dead letters until every row is accounted for")
    boolean await;

    @Option(names = "--timeout", paramLabel = "D", defaultValue = "PT10M",
            description = "how long --wait waits, ISO-8601 (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--dry-run", description = "check the rows and print the requestIds that would be sent; send nothing")
    boolean dryRun;

    @Option(names = "--metrics-port", paramLabel = "N",
            description = "serve /metrics (jps_refund_batch_rows) on this port while the batch runs")
    Integer metricsPort;

    @Override
    public Integer call() throws Exception {
        if (refunds.report != null && !await && !dryRun) {
            spec.commandLine().getErr().println("--report needs --wait (or run `refunds status` later)");
            return Main.EXIT_USAGE;
        }
        PipelineConfig config = common.loadConfig();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PipelineMetrics metrics = new PipelineMetrics(registry, config.providers().keySet());
        RefundBatch batch = refunds.batch(config, kafka, metrics.refundBatch(), spec.commandLine().getOut(), spec.commandLine().getErr());
        try (ObservabilityServer server = metricsPort == null ? null : ObservabilityServer.start("0.0.0.0", metricsPort, registry, () -> true,
                () -> true)) {
            return refunds.exitCodeOf(() -> new BatchRefunds(batch).submit(new RefundBatch.Submit(dryRun, await, timeout)),
                    spec.commandLine().getErr());
        }
    }
}
