package io.jps.profile;

import java.time.Duration;

/**
 * How the dispatcher treats one provider.
 *
 * @param idempotencyHeader the header carrying a key derived from the requestId, the same on every attempt and
 *                          redelivery (null: none is sent)
 * @param timeout           one attempt's time limit, from sending to the whole answer
 * @param maxAttempts       attempts in all, the first included; a failed probe of a half-open circuit is not counted
 * @param maxTotalTime      no new attempt starts once this much time has passed since the first; time spent waiting
 *                          for an open circuit counts, attempts do not
 * @param initialBackoff    the wait before the second attempt; it doubles up to {@code maxBackoff}, with jitter
 * @param maxBackoff        the longest wait between attempts (a Retry-After the provider sends is honoured up to
 *                          {@code maxTotalTime})
 * @param rateLimit         attempts per second to this provider from one dispatcher instance (0: unlimited)
 * @param maxInFlight       requests to this provider in flight at once, per dispatcher instance
 * @param circuitBreaker    when the provider counts as down: its requests then wait instead of spending attempts
 */
public record Dispatch(
        String idempotencyHeader,
        Duration timeout,
        int maxAttempts,
        Duration maxTotalTime,
        Duration initialBackoff,
        Duration maxBackoff,
        double rateLimit,
        int maxInFlight,
        CircuitBreakerSettings circuitBreaker) {
}
