package io.jps.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.profile.ReasonCode;
import io.jps.profile.Stage;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PipelineMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PipelineMetrics metrics = new PipelineMetrics(registry, Set.of("juspay", "wise"));

    @Test
    void latencyBucketsTellSubMillisecondSealsApartAndMultiSecondDispatchesToo() {
        metrics.sealed("juspay", Duration.ofNanos(180_000));
        metrics.sealed("juspay", Duration.ofNanos(420_000));
        metrics.dispatchAttempt("wise", "2xx", Duration.ofMillis(3_200));

        PrometheusText text = scrape();
        assertThat(bucket(text, "seal", "juspay", "1.0E-4")).isZero();
        assertThat(bucket(text, "seal", "juspay", "2.5E-4")).isEqualTo(1);
        assertThat(bucket(text, "seal", "juspay", "5.0E-4")).isEqualTo(2);
        assertThat(bucket(text, "dispatch", "wise", "2.5")).isZero();
        assertThat(bucket(text, "dispatch", "wise", "5.0")).isEqualTo(1);
        assertThat(text.named("jps_stage_latency_seconds_bucket").stream()
                .filter(s -> s.labels().get("stage").equals("seal")).map(s -> s.labels().get("le")).toList())
                .containsExactly("1.0E-4", "2.5E-4", "5.0E-4", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
                        "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "30.0", "60.0", "+Inf");
    }

    @Test
    void namesNoProviderThatIsNotConfigured() {
        metrics.sealRefused("evil\nprovider");
        metrics.dispatchAttempt(null, "2xx", Duration.ofMillis(5));
        metrics.opened("juspay", "SOMETHING_ELSE", null);

        PrometheusText text = scrape();
        assertThat(text.value("jps_seals_total", Map.of("provider", "unknown", "outcome", "refused"))).isEqualTo(1);
        assertThat(text.value("jps_dispatch_attempts_total", Map.of("provider", "unknown", "status_class", "2xx"))).isEqualTo(1);
        assertThat(text.value("jps_opens_total", Map.of("provider", "juspay", "outcome", "unknown"))).isEqualTo(1);
        assertThat(text.samples()).allSatisfy(s -> assertThat(s.labels().values()).noneMatch(v -> v.contains("evil")));
    }

    @Test
    void countsRetriesAndGiveUpsByProviderAndReason() {
        metrics.dispatchRetried("juspay", DispatchRetryReason.ofStatus(503));
        metrics.dispatchRetried("juspay", DispatchRetryReason.ofStatus(429));
        metrics.dispatchRetried("juspay", DispatchRetryReason.ofFailure(new HttpTimeoutException("request timed out")));
        metrics.dispatchRetried("juspay", DispatchRetryReason.ofFailure(new ConnectException()));
        metrics.dispatchGaveUp("wise", ReasonCode.RETRIES_EXHAUSTED);
        metrics.dispatchGaveUp("wise", ReasonCode.OVERSIZED);

        PrometheusText text = scrape();
        for (String reason : List.of("server_error", "rate_limited", "timeout", "connection_failed")) {
            assertThat(text.value("jps_dispatch_retries_total", Map.of("provider", "juspay", "reason", reason))).isEqualTo(1);
        }
        assertThat(text.value("jps_dispatch_give_ups_total", Map.of("provider", "wise", "reason", "RETRIES_EXHAUSTED"))).isEqualTo(1);
        assertThat(text.value("jps_dispatch_give_ups_total", Map.of("provider", "wise", "reason", "OVERSIZED"))).isEqualTo(1);
    }

    @Test
    void countersThatAlertsWatchStartAtZeroForEveryConfiguredProvider() {
        PrometheusText text = scrape();
        for (String provider : List.of("juspay", "wise")) {
            assertThat(text.value("jps_seals_total", Map.of("provider", provider, "outcome", "sealed"))).isZero();
            assertThat(text.value("jps_opens_total", Map.of("provider", provider, "outcome", "succeeded"))).isZero();
            assertThat(text.value("jps_dispatch_retries_total", Map.of("provider", provider, "reason", "server_error"))).isZero();
            assertThat(text.value("jps_dispatch_give_ups_total", Map.of("provider", provider, "reason", "RETRIES_EXHAUSTED")))
                    .isZero();
        }
    }

    @Test
    void exportsBuildVersionReadinessAndTheStateEachStageIsIn() {
        AtomicReference<String> state = new AtomicReference<>("REBALANCING");
        metrics.readiness(() -> false);
        metrics.stageState(Stage.SEAL, state::get, List.of("RUNNING", "REBALANCING", "ERROR"));

        PrometheusText text = scrape();
        assertThat(text.value("jps_build_info", Map.of("version", BuildVersion.current()))).isEqualTo(1);
        assertThat(text.value("jps_ready", Map.of())).isZero();
        assertThat(text.value("jps_stage_state", Map.of("stage", "seal", "state", "REBALANCING"))).isEqualTo(1);
        assertThat(text.value("jps_stage_state", Map.of("stage", "seal", "state", "RUNNING"))).isZero();

        state.set("RUNNING");
        assertThat(scrape().value("jps_stage_state", Map.of("stage", "seal", "state", "RUNNING"))).isEqualTo(1);
    }

    @Test
    void refundBatchGaugesShowWhereTheRowsStand() {
        RefundBatchProgress batch = metrics.refundBatch();
        batch.add(RefundBatchProgress.State.READ, 100);
        batch.add(RefundBatchProgress.State.INVALID, 2);
        batch.set(RefundBatchProgress.State.SUCCEEDED, 97);

        PrometheusText text = scrape();
        assertThat(metrics.refundBatch()).isSameAs(batch);
        assertThat(text.value("jps_refund_batch_rows", Map.of("state", "read"))).isEqualTo(100);
        assertThat(text.value("jps_refund_batch_rows", Map.of("state", "invalid"))).isEqualTo(2);
        assertThat(text.value("jps_refund_batch_rows", Map.of("state", "succeeded"))).isEqualTo(97);
        assertThat(text.value("jps_refund_batch_rows", Map.of("state", "missing"))).isZero();
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(registry.scrape());
    }

    private static double bucket(PrometheusText text, String stage, String provider, String le) {
        return text.value("jps_stage_latency_seconds_bucket", Map.of("provider", provider, "stage", stage, "le", le));
    }
}
