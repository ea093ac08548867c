package io.jps.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.profile.Stage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatusReportTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PipelineMetrics metrics = new PipelineMetrics(registry, Set.of("juspay", "wise"));
    private final StatusReport report = new StatusReport(registry);

    @Test
    void recordsPerStageAndProviderAddUpEveryOutcome() {
        metrics.sealed("juspay", Duration.ofNanos(300_000));
        metrics.sealRefused("juspay");
        metrics.dispatchAttempt("juspay", "5xx", Duration.ofMillis(20));
        metrics.dispatchAttempt("juspay", "2xx", Duration.ofMillis(20));
        metrics.opened("juspay", "SUCCEEDED", Duration.ofNanos(400_000));

        List<StatusReport.StageRecords> records = report.status().records();
        assertThat(records).contains(new StatusReport.StageRecords("seal", "juspay", 2),
                new StatusReport.StageRecords("dispatch", "juspay", 2), new StatusReport.StageRecords("open", "juspay", 1),
                new StatusReport.StageRecords("seal", "wise", 0));
        assertThat(records).noneMatch(r -> r.provider().equals(PipelineMetrics.UNKNOWN));

        metrics.sealRefused("made-up");
        assertThat(report.status().records()).contains(new StatusReport.StageRecords("seal", PipelineMetrics.UNKNOWN, 1));
    }

    @Test
    void showsDeadLettersStagesReadinessAndDispatchFigures() {
        metrics.deadLettered("payments.dlq.signature", "UNATTESTED");
        metrics.deadLettered("payments.dlq.signature", "UNATTESTED");
        metrics.readiness(() -> true);
        metrics.stageState(Stage.DISPATCH, () -> "RUNNING", List.of("RUNNING", "NOT_RUNNING"));
        metrics.stageState(Stage.SEAL, () -> "REBALANCING", List.of("RUNNING", "REBALANCING"));
        metrics.dispatchRetried("wise", DispatchRetryReason.RATE_LIMITED);
        metrics.inFlightDispatches(() -> 3);

        StatusReport.Status status = report.status();
        assertThat(status.ready()).isTrue();
        assertThat(status.deadLetters()).containsExactly(new StatusReport.DeadLetterCount("payments.dlq.signature", "UNATTESTED", 2));
        assertThat(status.stages()).containsExactly(new StatusReport.StageState("seal", "REBALANCING"),
                new StatusReport.StageState("dispatch", "RUNNING"));
        assertThat(status.dispatch().inFlight()).isEqualTo(3);
        assertThat(status.dispatch().providers()).contains(new StatusReport.ProviderDispatch("wise", 1, 0));
    }

    @Test
    void findsKeyExpiryByItsExposedNameWhateverItsMicrometerName() {
        Gauge.builder("jps.key.expiry.seconds", () -> 86_400).tag("provider", "juspay").tag("account", "default")
                .tag("role", "provider-public").tag("kid", "k1").register(registry);

        assertThat(report.status().keys())
                .containsExactly(new StatusReport.KeyExpiry("juspay", "default", "provider-public", "k1", 86_400));
        assertThat(report.json()).contains("\"kid\":\"k1\"");
    }
}
