package io.jps.refunds;

import io.jps.observe.RefundBatchProgress.State;
import io.jps.observe.RefundBatchProgress;
import io.jps.profile.ProviderProfile;
import io.jps.topology.PipelineTopics;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ProgressBar;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code refunds submit} and {@code refunds status}: check every row, send the valid ones to
 * {@code payments.requests} (submit), then follow the outcome topics until every row is accounted for, and say
 * how the batch went. Memory is the {@link BatchIndex} (28 bytes a row) and the clients' buffers: the file is
 * streamed twice and never held, records are read one at a time and never kept.
 *
 * <p>What is read of the outcome topics: for a submission, everything written after the batch was first sent (the
 * end offsets taken just before), plus, only if the seal stage refuses rows as resubmitted, a {@link HistorySearch}
 * back in time for their first outcomes. For {@code status}, that search for every row. Never the topics' history
 * as such.
 */
public final class BatchRefunds {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration GAUGE_REFRESH = Duration.ofSeconds(1);
    /** Clocks of the producers stamping records may differ a little from ours. */
    private static final Duration CLOCK_MARGIN = Duration.ofHours(1);
    private static final int MISSING_LISTED = 100;

    private final RefundBatch batch;
    private final PrintWriter out;
    private final PrintWriter err;
    private final RefundBatchProgress progress;

    public BatchRefunds(RefundBatch batch) {
        this.batch = batch;
        this.out = batch.out();
        this.err = batch.err();
        this.progress = batch.progress();
    }

    public BatchVerdict submit(RefundBatch.Submit how) throws IOException {
        RefundRules rules = rules();
        BatchRows rows = rows(rules);
        BatchRows.Checked checked = check(rows);
        if (checked == null) {
            return BatchVerdict.INVALID_INPUT;
        }
        BatchIndex index = checked.index();
        PipelineTopics topics = new PipelineTopics(batch.config());
        if (how.dryRun()) {
            rows.forEachPrepared(index, row -> out.println("line " + row.line() + "  " + row.request().requestId() + "  account "
                    + row.request().account() + "  key " + row.request().recordKey()));
            out.println(index.size() + " rows would be sent to " + topics.requests().name() + "; nothing was sent (--dry-run)");
            out.flush();
            return BatchVerdict.ALL_SUCCEEDED;
        }
        if (!how.await()) {
            if (produce(rows, index, topics.requests().name()) > 0) {
                return BatchVerdict.SOME_FAILED;
            }
            out.println(index.size() + " rows sent to " + topics.requests().name()
                    + "; `refunds status` with the same file tells how they ended");
            out.flush();
            return checked.invalidRows() > 0 ? BatchVerdict.SOME_FAILED : BatchVerdict.ALL_SUCCEEDED;
        }
        OutcomeTopics outcomeTopics = OutcomeTopics.of(topics, rules.provider());
        try (OutcomeReader forward = new OutcomeReader(batch.kafka(), outcomeTopics.names())) {
            // Taken before the first record is sent: every outcome of this submission comes after these offsets.
            Map<TopicPartition, Long> before = forward.endOffsets();
            long startedAt = System.currentTimeMillis();
            forward.seek(before);
            if (produce(rows, index, topics.requests().name()) > 0) {
                return BatchVerdict.SOME_FAILED;
            }
            follow(index, new Reconciliation(index, outcomeTopics), forward, outcomeTopics, before, startedAt, how.timeout());
            return conclude(index, checked, "--wait timed out after " + how.timeout());
        }
    }

    /**
     * Reads what comes after {@code before} until every row is accounted for or the time is up; looks back in time
     * for the first outcomes of rows the seal stage refuses as resubmitted, only once there are such rows.
     */
    private void follow(BatchIndex index, Reconciliation reconciliation, OutcomeReader forward, OutcomeTopics outcomeTopics,
                        Map<TopicPartition, Long> before, long startedAt, Duration timeout) {
        try (OutcomeReader past = new OutcomeReader(batch.kafka(), outcomeTopics.names())) {
            HistorySearch history = null;
            long deadline = System.nanoTime() + timeout.toNanos();
            long nextGauges = 0;
            ProgressBar bar = ProgressBars.start("accounted", index.size(), err);
            try {
                while (!index.allAccounted() && System.nanoTime() < deadline) {
                    forward.poll(POLL, null, reconciliation::apply);
                    if (index.refusedUnaccounted() > 0) {
                        if (history == null) {
                            history = new HistorySearch(past, before, startedAt, reach());
                        }
                        history.step(reconciliation::apply);
                    }
                    bar.stepTo(index.accounted());
                    if (System.nanoTime() > nextGauges) {
                        outcomeGauges(index);
                        nextGauges = System.nanoTime() + GAUGE_REFRESH.toNanos();
                    }
                }
            } finally {
                ProgressBars.finish(bar, err);
            }
        }
    }

    public BatchVerdict status() throws IOException {
        RefundRules rules = rules();
        BatchRows.Checked checked = check(rows(rules));
        if (checked == null) {
            return BatchVerdict.INVALID_INPUT;
        }
        BatchIndex index = checked.index();
        OutcomeTopics outcomeTopics = OutcomeTopics.of(new PipelineTopics(batch.config()), rules.provider());
        Reconciliation reconciliation = new Reconciliation(index, outcomeTopics);
        try (OutcomeReader reader = new OutcomeReader(batch.kafka(), outcomeTopics.names())) {
            HistorySearch history = new HistorySearch(reader, reader.endOffsets(), System.currentTimeMillis(), reach());
            ProgressBar bar = ProgressBars.start("accounted", index.size(), err);
            try {
                while (!index.allAccounted() && !history.exhausted()) {
                    history.step(reconciliation::apply);
                    bar.stepTo(index.accounted());
                }
            } finally {
                ProgressBars.finish(bar, err);
            }
        }
        return conclude(index, checked, "no outcome found within open.dedupRetention");
    }

    private RefundRules rules() {
        ProviderProfile profile = batch.config().providers().get(batch.provider());
        if (profile == null) {
            throw new IllegalArgumentException("UNKNOWN_PROVIDER: no profile '" + batch.provider() + "'");
        }
        return RefundRules.forProvider(profile).orElseThrow(() -> new IllegalArgumentException(
                "provider " + batch.provider() + " has no refund operation in its operation table"));
    }

    private BatchRows rows(RefundRules rules) {
        return new BatchRows(batch.file(), rules, batch.defaultAccount(), batch.config().limits().maxRequestBytes());
    }

    /** @return null when nothing may be sent */
    private BatchRows.Checked check(BatchRows rows) throws IOException {
        BatchRows.Checked checked = rows.check(problem -> err.println(problem));
        progress.set(State.READ, checked.rowsRead());
        progress.set(State.INVALID, checked.invalidRows());
        if (checked.problems() > 0 && !batch.skipInvalid()) {
            err.println(checked.problems() + " problem(s) in " + batch.file().getFileName() + " (" + checked.invalidRows()
                    + " of " + checked.rowsRead() + " rows); nothing was sent. Fix them, or send the rest with --skip-invalid.");
            err.flush();
            return null;
        }
        if (checked.index().size() == 0) {
            err.println("no valid row in " + batch.file().getFileName() + "; nothing was sent");
            err.flush();
            return null;
        }
        if (checked.problems() > 0) {
            err.println(checked.invalidRows() + " invalid row(s) skipped (--skip-invalid)");
        }
        err.flush();
        return checked;
    }

    /** @return rows that could not be produced */
    private long produce(BatchRows rows, BatchIndex index, String topic) throws IOException {
        // A retried send must never write a row twice, and a row counts as sent only once every replica has it.
        Map<String, Object> properties = Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.CLIENT_ID_CONFIG, "jps-refunds");
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        ProgressBar bar = ProgressBars.start("sending", index.size(), err);
        try (KafkaProducer<byte[], byte[]> producer = batch.kafka().producer(properties)) {
            rows.forEachPrepared(index, row -> producer.send(new ProducerRecord<>(topic, row.key(), row.value()), (metadata, error) -> {
                if (error == null) {
                    bar.step();
                    progress.add(State.PRODUCED, 1);
                } else {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, error);
                }
            }));
            producer.flush();
        } finally {
            ProgressBars.finish(bar, err);
        }
        if (failed.get() > 0) {
            err.println(failed.get() + " row(s) could not be sent (" + firstFailure.get().getClass().getName()
                    + "); sending the same file again is safe: rows that did arrive are refused as DUPLICATE_REQUEST");
            err.flush();
        }
        return failed.get();
    }

    private Duration reach() {
        return batch.config().open().dedupRetention().plus(CLOCK_MARGIN);
    }

    private void outcomeGauges(BatchIndex index) {
        Map<RowOutcome, Integer> counts = index.counts();
        progress.set(State.SUCCEEDED, counts.get(RowOutcome.SUCCEEDED));
        progress.set(State.PROVIDER_ERROR, counts.get(RowOutcome.PROVIDER_ERROR));
        progress.set(State.DEAD_LETTER, counts.get(RowOutcome.DEAD_LETTER));
        progress.set(State.MISSING, counts.get(RowOutcome.MISSING));
    }

    private BatchVerdict conclude(BatchIndex index, BatchRows.Checked checked, String whyMissing) throws IOException {
        outcomeGauges(index);
        Map<RowOutcome, Integer> counts = index.counts();
        if (batch.report() != null) {
            ReconciliationReport.write(index, batch.report());
        }
        int missing = counts.get(RowOutcome.MISSING);
        if (missing > 0) {
            err.println(missing + " row(s) without an outcome (" + whyMissing + "):");
            int listed = 0;
            for (int row = 0; row < index.size() && listed < MISSING_LISTED; row++) {
                if (index.outcome(row) == RowOutcome.MISSING) {
                    err.println("  line " + index.line(row) + "  " + index.id(row).requestId());
                    listed++;
                }
            }
            if (missing > listed) {
                err.println("  ... and " + (missing - listed) + " more" + (batch.report() != null ? " (every row is in the report)" : ""));
            }
            err.flush();
        }
        out.println(index.size() + " rows: " + counts.get(RowOutcome.SUCCEEDED) + " succeeded, " + counts.get(RowOutcome.PROVIDER_ERROR)
                + " provider errors, " + counts.get(RowOutcome.DEAD_LETTER) + " dead letters, " + missing + " missing"
                + (checked.invalidRows() > 0 ? "; " + checked.invalidRows() + " invalid rows not sent" : "")
                + (batch.report() != null ? "; report: " + batch.report() : ""));
        out.flush();
        return BatchVerdict.of(counts, checked.invalidRows());
    }
}
