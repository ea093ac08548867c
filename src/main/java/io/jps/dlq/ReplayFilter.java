package io.jps.dlq;

import java.time.Instant;

/**
 * Which dead letters a replay or an inspection is about; null means any. Times are when the dead letter was
 * written (its record timestamp): {@code since} inclusive, {@code until} exclusive.
 */
public record ReplayFilter(String reason, String requestId, Instant since, Instant until) {

    public static final ReplayFilter ALL = new ReplayFilter(null, null, null, null);

    boolean matches(DeadLetterView letter) {
        return (reason == null || reason.equals(letter.reason()))
                && (requestId == null || requestId.equals(letter.requestId()))
                && (since == null || letter.timestamp() >= since.toEpochMilli())
                && (until == null || letter.timestamp() < until.toEpochMilli());
    }
}
