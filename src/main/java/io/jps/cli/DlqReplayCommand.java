package io.jps.cli;

import io.jps.config.PipelineConfig;
import io.jps.dlq.DeadLetterView;
import io.jps.dlq.DlqReplayer;
import io.jps.dlq.ReplayFilter;
import io.jps.dlq.ReplayRisk;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Sends dead letters back to the topic they came from, each once: a crash or a second run moves nothing",
                "twice. Records the provider may have acted on (payments.dlq.dispatch: retries exhausted, transport",
                "failures) and records refused on purpose (UNATTESTED, REQUEST_NOT_ALLOWED, DUPLICATE_REQUEST) need --force.",
                "Prints what it moved."})
final class DlqReplayCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--topic", required = true, paramLabel = "T", description = "the dead-letter topic to replay from")
    String topic;

    @Option(names = "--reason", paramLabel = "R", description = "only dead letters with this reason code")
    String reason;

    @Option(names = "--request-id", paramLabel = "ID", description = "only the dead letters of this requestId")
    String requestId;

    @Option(names = "--since", paramLabel = "T", converter = PointInTime.class,
            description = "only dead letters written at or after T: an ISO-8601 instant, or a duration ago (PT2H)")
    Instant since;

    @Option(names = "--until", paramLabel = "T", converter = PointInTime.class, description = "only dead letters written before T")
    Instant until;

    @Option(names = "--dry-run", description = "print what would move; move nothing")
    boolean dryRun;

    @Option(names = "--force", description = "also move dead letters that are held back (see above)")
    boolean force;

    @Override
    public Integer call() throws Exception {
        PipelineConfig config = common.loadConfig();
        PrintWriter out = spec.commandLine().getOut();
        DlqReplayer replayer = new DlqReplayer(config, kafka.connect(config));
        try {
            DlqReplayer.Outcome outcome = replayer.replay(topic, new ReplayFilter(reason, requestId, since, until), force, dryRun,
                    new Printer(out, dryRun));
            out.println((dryRun ? "would move " : "moved ") + outcome.moved() + "; moved by an earlier run " + outcome.movedBefore()
                    + "; held back " + outcome.heldBack() + (outcome.heldBack() > 0 && !force ? " (--force moves them)" : "")
                    + "; not replayable " + outcome.unreplayable() + "; not matching the filters " + outcome.filteredOut());
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return Main.EXIT_USAGE;
        }
    }

    /** One line per dead letter, from its headers only. */
    private record Printer(PrintWriter out, boolean dryRun) implements DlqReplayer.Listener {

        @Override
        public void moving(DeadLetterView letter, String target) {
            if (dryRun) {
                out.println("would move " + describe(letter, target));
            }
        }

        @Override
        public void moved(List<DeadLetterView> letters, String target) {
            letters.forEach(letter -> out.println("moved " + describe(letter, target)));
            out.flush();
        }

        @Override
        public void heldBack(DeadLetterView letter, ReplayRisk risk) {
            out.println("held back " + letter.position() + " " + letter.reason() + " " + letter.requestId() + ": " + risk.description());
        }

        @Override
        public void unreplayable(DeadLetterView letter, String why) {
            out.println("cannot replay " + letter.position() + " " + letter.reason() + ": " + why);
        }

        private static String describe(DeadLetterView letter, String target) {
            return letter.position() + " -> " + target + "[" + letter.sourcePartition() + "]  " + letter.reason() + "  "
                    + letter.provider() + "/" + letter.account() + "  " + letter.requestId();
        }
    }
}
