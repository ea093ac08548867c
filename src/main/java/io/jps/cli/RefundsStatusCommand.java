package io.jps.cli;

import io.jps.config.PipelineConfig;
import io.jps.observe.PipelineMetrics;
import io.jps.refunds.BatchRefunds;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"The reconciliation of `refunds submit --wait`, without sending anything: where each row of the file",
                "ended, found on the result and dead-letter topics. Exit codes as for submit (3: rows without an outcome)."})
final class RefundsStatusCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    RefundFileOptions refunds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PipelineConfig config = common.loadConfig();
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry(), config.providers().keySet());
        return refunds.exitCodeOf(() -> new BatchRefunds(refunds.batch(config, kafka, metrics.refundBatch(),
                spec.commandLine().getOut(), spec.commandLine().getErr())).status(), spec.commandLine().getErr());
    }
}
