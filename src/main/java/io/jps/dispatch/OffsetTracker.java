package io.jps.dispatch;

import java.util.TreeSet;

/**
 * One partition's progress when records finish out of order: the offset that may be committed is the lowest
 * one still unfinished, so nothing unfinished is ever committed past (at-least-once).
 */
final class OffsetTracker {

    private final TreeSet<Long> unfinished = new TreeSet<>();
    private long next = -1;
    private long committed = -1;

    void started(long offset) {
        unfinished.add(offset);
        next = Math.max(next, offset + 1);
    }

    void finished(long offset) {
        unfinished.remove(offset);
    }

    /** The offset to commit, if it moved since the last commit. */
    long committable() {
        long candidate = unfinished.isEmpty() ? next : unfinished.first();
        return candidate > committed ? candidate : -1;
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    boolean idle() {
        return unfinished.isEmpty();
    }
}
