package io.jps.cli;

import io.jps.config.PipelineConfig;
import io.jps.observe.RefundBatchProgress;
import io.jps.record.PaymentRequest;
import io.jps.refunds.BatchVerdict;
import io.jps.refunds.RefundBatch;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What {@code refunds submit} and {@code refunds status} share: whose refunds, which file, which report. */
final class RefundFileOptions {

    @Option(names = "--provider", required = true, description = "the provider whose refund operation the rows are for")
    String provider;

    @Option(names = "--account", defaultValue = PaymentRequest.DEFAULT_ACCOUNT,
            description = "account of the rows without an account column (default: ${DEFAULT-VALUE})")
    String account;

    @Option(names = "--file", required = true, paramLabel = "F.csv|F.jsonl",
            description = "CSV with a header row (a column per payload field; optional account, key), or JSONL (a payload object a line)")
    Path file;

    @Option(names = "--report", paramLabel = "R.csv", description = "reconciliation report: line,requestId,outcome,httpStatus,reason")
    Path report;

    @Option(names = "--skip-invalid", description = "send the valid rows even when some are invalid (listed on stderr)")
    boolean skipInvalid;

    RefundBatch batch(PipelineConfig config, KafkaOptions kafka, RefundBatchProgress progress, PrintWriter out, PrintWriter err) {
        return new RefundBatch(config, provider, account, file, report, skipInvalid, kafka.connect(config),
                progress, out, err);
    }

    /** The part of a batch command that can fail on its input. */
    interface BatchRun {
        BatchVerdict run() throws IOException;
    }

    /** Runs the batch; a provider without refunds, a file that cannot be read: a message and the usage exit code. */
    int exitCodeOf(BatchRun run, PrintWriter err) {
        try {
            return run.run().exitCode();
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
        } catch (NoSuchFileException e) {
            err.println("no such file: " + file);
        } catch (IOException e) {
            err.println("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        return Main.EXIT_USAGE;
    }
}
