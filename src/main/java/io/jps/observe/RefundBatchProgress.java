package io.jps.observe;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the rows of the batch that {@code refunds submit} is working on stand, as the gauge
 * {@code jps_refund_batch_rows{state}}: rows read, refused as invalid, produced, and accounted for by outcome.
 */
public final class RefundBatchProgress {

    public enum State {
        READ, INVALID, PRODUCED, SUCCEEDED, PROVIDER_ERROR, DEAD_LETTER, MISSING;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<State, AtomicLong> rows = new EnumMap<>(State.class);

    RefundBatchProgress() {
        for (State state : State.values()) {
            rows.put(state, new AtomicLong());
        }
    }

    public void add(State state, long count) {
        rows.get(state).addAndGet(count);
    }

    public void set(State state, long count) {
        rows.get(state).set(count);
    }

    long rows(State state) {
        return rows.get(state).get();
    }
}
