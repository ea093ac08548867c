package io.jps.observe;

import io.jps.profile.ReasonCode;
import io.jps.profile.Stage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The product's own metrics, all named {@code jps_*}. Label values come from a closed set: a provider name
 * that is not configured (it arrived in a record, so anyone could invent millions) is reported as
 * {@code unknown}, and topics, reasons, stages, outcomes and status classes are ours.
 *
 * <p>The counters an alert watches exist at zero from the start for every configured provider: a counter that
 * first appears already at 1 is invisible to {@code rate()} and {@code increase()} for that first event.
 */
public final class PipelineMetrics {

    public static final String UNKNOWN = "unknown";

    /**
     * Bucket boundaries of every stage's latency histogram: a seal or an open is one RSA private-key operation
     * (a fraction of a millisecond), a dispatch waits for a provider, its retries and backoff (seconds).
     */
    static final Duration[] LATENCY_BUCKETS = {
            micros(100), micros(250), micros(500), millis(1), micros(2_500), millis(5), millis(10), millis(25), millis(50),
            millis(100), millis(250), millis(500), seconds(1), millis(2_500), seconds(5), seconds(10), seconds(30),
            seconds(60)};

    private static final Set<String> OPEN_OUTCOMES = Set.of("succeeded", "provider_error", "refused", "duplicate");
    private static final Set<String> STATUS_CLASSES = Set.of("2xx", "3xx", "4xx", "5xx", "429", "error");
    /** The give-ups that are the provider's doing rather than a bad record's: the ones an operator is paged for. */
    private static final Set<ReasonCode> PROVIDER_GIVE_UPS = Set.of(ReasonCode.RETRIES_EXHAUSTED, ReasonCode.TRANSPORT_FAILED);

    private final MeterRegistry registry;
    private final Set<String> providers;
    private final MeterTable<Counter> seals;
    private final MeterTable<Counter> opens;
    private final MeterTable<Counter> duplicates;
    private final MeterTable<Counter> deadLetters;
    private final MeterTable<Counter> attempts;
    private final MeterTable<Counter> retries;
    private final MeterTable<Counter> giveUps;
    private final MeterTable<Timer> latencies;
    private RefundBatchProgress refundBatch;

    public PipelineMetrics(MeterRegistry registry, Set<String> providers) {
        this.registry = registry;
        this.providers = Set.copyOf(providers);
        this.seals = new MeterTable<>(labels -> Counter.builder("jps.seals")
                .description("Requests sealed, by provider and outcome")
                .tag("provider", labels.get(0)).tag("outcome", labels.get(1)).register(registry));
        this.opens = new MeterTable<>(labels -> Counter.builder("jps.opens")
                .description("Provider answers opened, by provider and outcome")
                .tag("provider", labels.get(0)).tag("outcome", labels.get(1)).register(registry));
        this.duplicates = new MeterTable<>(labels -> Counter.builder("jps.duplicate.answers")
                .description("Answers dropped because their requestId already has an outcome")
                .tag("provider", labels.get(0)).register(registry));
        this.deadLetters = new MeterTable<>(labels -> Counter.builder("jps.dlq.records")
                .description("Records written to a dead-letter topic, by topic and reason")
                .tag("topic", labels.get(0)).tag("reason", labels.get(1)).register(registry));
        this.attempts = new MeterTable<>(labels -> Counter.builder("jps.dispatch.attempts")
                .description("HTTP attempts to providers, by provider and status class")
                .tag("provider", labels.get(0)).tag("status_class", labels.get(1)).register(registry));
        this.retries = new MeterTable<>(labels -> Counter.builder("jps.dispatch.retries")
                .description("Attempts the dispatcher makes again, by provider and why")
                .tag("provider", labels.get(0)).tag("reason", labels.get(1)).register(registry));
        this.giveUps = new MeterTable<>(labels -> Counter.builder("jps.dispatch.give.ups")
                .description("Requests the dispatcher stopped trying and dead-lettered, by provider and reason")
                .tag("provider", labels.get(0)).tag("reason", labels.get(1)).register(registry));
        this.latencies = new MeterTable<>(labels -> Timer.builder("jps.stage.latency")
                .description("Time spent in a stage per record (per HTTP attempt for dispatch)")
                .tag("stage", labels.get(0)).tag("provider", labels.get(1))
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry));
        Gauge.builder("jps.build.info", () -> 1).description("The running version, as a label")
                .tag("version", BuildVersion.current()).register(registry);
        startAtZero();
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void sealed(String provider, Duration took) {
        seals.get(provider(provider), "sealed").increment();
        latency(Stage.SEAL, provider, took);
    }

    public void sealRefused(String provider) {
        seals.get(provider(provider), "refused").increment();
    }

    /** {@code outcome}: succeeded, provider_error, refused or duplicate. */
    public void opened(String provider, String outcome, Duration took) {
        opens.get(provider(provider), oneOf(outcome.toLowerCase(Locale.ROOT), OPEN_OUTCOMES)).increment();
        if (took != null) {
            latency(Stage.OPEN, provider, took);
        }
    }

    public void duplicateDropped(String provider) {
        duplicates.get(provider(provider)).increment();
        opened(provider, "duplicate", null);
    }

    public void deadLettered(String topic, String reason) {
        deadLetters.get(topic, reason).increment();
    }

    /** {@code statusClass}: 2xx, 3xx, 4xx, 5xx, 429, or error (no HTTP answer). */
    public void dispatchAttempt(String provider, String statusClass, Duration took) {
        attempts.get(provider(provider), oneOf(statusClass, STATUS_CLASSES)).increment();
        latency(Stage.DISPATCH, provider, took);
    }

    /** An attempt failed in a way worth another one, and another one will be made. */
    public void dispatchRetried(String provider, DispatchRetryReason reason) {
        retries.get(provider(provider), reason.label()).increment();
    }

    /** The dispatcher stopped trying a request: it goes to the dispatch dead-letter topic with {@code reason}. */
    public void dispatchGaveUp(String provider, ReasonCode reason) {
        giveUps.get(provider(provider), reason.name()).increment();
    }

    public void inFlightDispatches(Supplier<Number> count) {
        Gauge.builder("jps.dispatch.in.flight", count).description("Requests being sent to providers right now")
                .register(registry);
    }

    public void latency(Stage stage, String provider, Duration took) {
        latencies.get(stage.wireName(), provider(provider)).record(took);
    }

    /** 1 while this process is ready (what {@code /health/ready} answers), else 0. */
    public void readiness(BooleanSupplier ready) {
        Gauge.builder("jps.ready", () -> ready.getAsBoolean() ? 1 : 0)
                .description("1 while every stage this process runs is working, else 0").register(registry);
    }

    /**
     * A state set: {@code jps_stage_state{stage,state}} is 1 for the state {@code stage} is in now and 0 for the
     * others of {@code states}, so a dashboard can show it and an alert can match it without string values.
     */
    public void stageState(Stage stage, Supplier<String> current, Collection<String> states) {
        for (String state : new TreeSet<>(states)) {
            Gauge.builder("jps.stage.state", () -> state.equals(current.get()) ? 1 : 0)
                    .description("1 for the state each stage is in now")
                    .tag("stage", stage.wireName()).tag("state", state).register(registry);
        }
    }

    /** Records of {@code topic} that consumer group {@code group} (the one of {@code stage}) has yet to commit. */
    public void consumerLag(Stage stage, String group, String topic, DoubleSupplier records) {
        Gauge.builder("jps.consumer.lag", records::getAsDouble).baseUnit("records")
                .description("Records a stage's consumer group has not committed yet, summed over the topic's partitions")
                .tag("stage", stage.wireName()).tag("group", group).tag("topic", topic).register(registry);
    }

    /** The progress gauges of a refund batch, registered on first use. */
    public synchronized RefundBatchProgress refundBatch() {
        if (refundBatch == null) {
            RefundBatchProgress progress = new RefundBatchProgress();
            for (RefundBatchProgress.State state : RefundBatchProgress.State.values()) {
                Gauge.builder("jps.refund.batch.rows", () -> progress.rows(state))
                        .description("Rows of the refund batch being submitted, by where they stand")
                        .tag("state", state.label()).register(registry);
            }
            refundBatch = progress;
        }
        return refundBatch;
    }

    private void startAtZero() {
        for (String provider : providers) {
            seals.get(provider, "sealed");
            seals.get(provider, "refused");
            OPEN_OUTCOMES.forEach(outcome -> opens.get(provider, outcome));
            duplicates.get(provider);
            for (DispatchRetryReason reason : DispatchRetryReason.values()) {
                retries.get(provider, reason.label());
            }
            PROVIDER_GIVE_UPS.forEach(reason -> giveUps.get(provider, reason.name()));
        }
    }

    private String provider(String name) {
        return name != null && providers.contains(name) ? name : UNKNOWN;
    }

    private static String oneOf(String value, Set<String> allowed) {
        return allowed.contains(value) ? value : UNKNOWN;
    }

    private static Duration micros(long n) {
        return Duration.ofNanos(n * 1_000);
    }

    private static Duration millis(long n) {
        return Duration.ofMillis(n);
    }

    private static Duration seconds(long n) {
        return Duration.ofSeconds(n);
    }
}
