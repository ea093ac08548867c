package io.jps.cli;

import io.jps.config.PipelineConfig;
import io.jps.dlq.DlqInspector;
import io.jps.dlq.ReplayFilter;
import io.jps.topology.PipelineTopics;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"What a dead-letter topic holds: counts by reason and provider, how many were replayed and whether a",
                "replay needs --force, first and last offsets and times per partition. From the headers only: a dead",
                "letter's value is never printed."})
final class DlqInspectCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--topic", required = true, paramLabel = "T", description = "a dead-letter topic, e.g. payments.dlq.signature")
    String topic;

    @Option(names = "--reason", paramLabel = "R", description = "only dead letters with this reason code")
    String reason;

    @Override
    public Integer call() throws Exception {
        PipelineConfig config = common.loadConfig();
        DlqInspector inspector = new DlqInspector(new PipelineTopics(config), kafka.connect(config));
        try {
            DlqInspector.print(inspector.inspect(topic, new ReplayFilter(reason, null, null, null)), spec.commandLine().getOut());
            return 0;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return Main.EXIT_USAGE;
        }
    }
}
