package io.jps.profile;

import java.time.Duration;

/**
 * When the dispatcher judges a provider down and stops sending to it for a while. Attempts that get no HTTP answer
 * (connection refused or reset, timeout) or a 5xx count as failures; a 4xx, a 429 and a TLS refusal do not.
 *
 * @param failureRate     the share of failed attempts, in percent, within {@code window} that opens the circuit
 * @param minimumAttempts attempts within {@code window} before the rate counts, so a quiet provider's one bad
 *                        minute does not open it
 * @param window          the period over which attempts are counted
 * @param openFor         how long the circuit stays open before one probe is let through (half-open); the
 *                        probe's success closes it, its failure opens it again for as long
 */
public record CircuitBreakerSettings(int failureRate, int minimumAttempts, Duration window, Duration openFor) {
}
