package io.jps.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The product's own metrics, all named {@code jps_*}. Label values come from a closed set: a provider name
 * that is not configured (it arrived in a record, so anyone could invent millions) is reported as
 * {@code unknown}, and topics and reasons are ours.
 */
public final class PipelineMetrics {

    public static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final Set<String> providers;

    public PipelineMetrics(MeterRegistry registry, Set<String> providers) {
        this.registry = registry;
        this.providers = Set.copyOf(providers);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void sealed(String provider, Duration took) {
        Counter.builder("jps.seals").description("Requests sealed, by provider and outcome")
                .tag("provider", provider(provider)).tag("outcome", "sealed").register(registry).increment();
        latency("seal", took);
    }

    public void sealRefused(String provider) {
        Counter.builder("jps.seals").description("Requests sealed, by provider and outcome")
                .tag("provider", provider(provider)).tag("outcome", "refused").register(registry).increment();
    }

    /** {@code outcome}: succeeded, provider_error, refused or duplicate. */
    public void opened(String provider, String outcome, Duration took) {
        Counter.builder("jps.opens").description("Provider answers opened, by provider and outcome")
                .tag("provider", provider(provider)).tag("outcome", outcome.toLowerCase(Locale.ROOT))
                .register(registry).increment();
        if (took != null) {
            latency("open", took);
        }
    }

    public void duplicateDropped(String provider) {
        Counter.builder("jps.duplicate.answers").description("Answers dropped because their requestId already has an outcome")
                .tag("provider", provider(provider)).register(registry).increment();
        opened(provider, "duplicate", null);
    }

    public void deadLettered(String topic, String reason) {
        Counter.builder("jps.dlq.records").description("Records written to a dead-letter topic, by topic and reason")
                .tag("topic", topic).tag("reason", reason).register(registry).increment();
    }

    /** {@code statusClass}: 2xx, 4xx, 5xx, 429, or error (no HTTP answer). */
    public void dispatchAttempt(String provider, String statusClass, Duration took) {
        Counter.builder("jps.dispatch.attempts").description("HTTP attempts to providers, by provider and status class")
                .tag("provider", provider(provider)).tag("status_class", statusClass).register(registry).increment();
        latency("dispatch", took);
    }

    public void inFlightDispatches(Supplier<Number> count) {
        Gauge.builder("jps.dispatch.in.flight", count).description("Requests being sent to providers right now")
                .register(registry);
    }

    /** {@code state}: 0 closed, 1 half-open (a probe may go out), 2 open (the provider's requests wait). */
    public void providerCircuitState(String provider, Supplier<Number> state) {
        Gauge.builder("jps.provider.circuit.state", state)
                .description("Circuit breaker of a provider: 0 closed, 1 half-open, 2 open")
                .tag("provider", provider(provider)).register(registry);
    }

    /** {@code from}, {@code to}: closed, half_open or open. */
    public void providerCircuitTransition(String provider, String from, String to) {
        Counter.builder("jps.provider.circuit.transitions").description("Circuit breaker state changes, by provider")
                .tag("provider", provider(provider)).tag("from", from).tag("to", to).register(registry).increment();
    }

    public void latency(String stage, Duration took) {
        Timer.builder("jps.stage.latency").description("Time spent in a stage per record")
                .tag("stage", stage).publishPercentileHistogram().register(registry).record(took);
    }

    private String provider(String name) {
        return name != null && providers.contains(name) ? name : UNKNOWN;
    }
}
