package io.jps.refunds;

import io.jps.config.PipelineConfig;
import io.jps.kafka.KafkaConnection;
import io.jps.observe.RefundBatchProgress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One run of {@code refunds submit} or {@code refunds status}: the file, whose refunds, where to write the report,
 * and how to reach the cluster.
 *
 * @param defaultAccount the account of rows without an {@code account} column
 * @param report         null: no report file
 */
public record RefundBatch(
        PipelineConfig config,
        String provider,
        String defaultAccount,
        Path file,
        Path report,
        boolean skipInvalid,
        KafkaConnection kafka,
        RefundBatchProgress progress,
        PrintWriter out,
        PrintWriter err) {

    /** What {@code submit} does after validating. */
    public record Submit(boolean dryRun, boolean await, Duration timeout) {
    }
}
