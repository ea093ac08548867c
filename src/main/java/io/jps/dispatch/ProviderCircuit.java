package io.jps.dispatch;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.event.CircuitBreakerStateChangedEvent;
import io.jps.observe.PipelineMetrics;
import io.jps.profile.CircuitBreakerSettings;
import java.time.Duration;
import java.util.Locale;

/**
 * One provider's circuit breaker. While it is open, that provider's requests wait for it (the dispatcher asks again
 * when it may close) instead of spending their attempts on a provider that is down; when it is half-open, one
 * request's attempt is let through as the probe.
 */
final class ProviderCircuit {

    /** How often a waiting request asks again while a probe is out. */
    static final Duration PROBE_POLL = Duration.ofMillis(200);

    /** What an attempt was let through as. */
    enum Permit { DENIED, GRANTED, PROBE }

    private final CircuitBreaker<Object> breaker;

    ProviderCircuit(String provider, CircuitBreakerSettings settings, PipelineMetrics metrics) {
        this.breaker = CircuitBreaker.builder()
                .withFailureRateThreshold(settings.failureRate(), settings.minimumAttempts(), settings.window())
                // one probe at a time; its success closes the circuit, its failure opens it again
                .withSuccessThreshold(1)
                .withDelay(settings.openFor())
                .onOpen(event -> metrics.providerCircuitTransition(provider, from(event), "open"))
                .onHalfOpen(event -> metrics.providerCircuitTransition(provider, from(event), "half_open"))
                .onClose(event -> metrics.providerCircuitTransition(provider, from(event), "closed"))
                .build();
        metrics.providerCircuitState(provider, this::stateCode);
    }

    Permit tryAcquire() {
        if (!breaker.tryAcquirePermit()) {
            return Permit.DENIED;
        }
        return breaker.isHalfOpen() ? Permit.PROBE : Permit.GRANTED;
    }

    /** How long a request that was denied waits before it asks again. */
    Duration retryIn() {
        Duration remaining = breaker.getRemainingDelay();
        return remaining.compareTo(PROBE_POLL) > 0 ? remaining : PROBE_POLL;
    }

    /** @param failed the attempt got no HTTP answer, or a 5xx */
    void record(Permit permit, boolean failed) {
        // An attempt let through while the circuit was closed that ends after it went half-open is not the probe:
        // its old answer must not decide whether the provider is back.
        if (permit == Permit.GRANTED && breaker.isHalfOpen()) {
            return;
        }
        if (failed) {
            breaker.recordFailure();
        } else {
            breaker.recordSuccess();
        }
    }

    private int stateCode() {
        return switch (breaker.getState()) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    private static String from(CircuitBreakerStateChangedEvent event) {
        return event.getPreviousState().name().toLowerCase(Locale.ROOT);
    }
}
