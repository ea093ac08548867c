package io.jps.refunds;

import io.jps.config.PipelineConfig;
import io.jps.observe.RefundBatchProgress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One run of {@code refunds submit} or {@code refunds status}: the file, whose refunds, where to write the report,
 * and the Kafka clients' properties.
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
        Map<String, Object> producerProperties,
        Map<String, Object> consumerProperties,
        RefundBatchProgress progress,
        PrintWriter out,
        PrintWriter err) {

    /** What {@code submit} does after validating. */
    public record Submit(boolean dryRun, boolean await, Duration timeout) {
    }
}
