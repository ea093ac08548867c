package io.jps.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One partition's records between being read and being committed. Records finish out of order (keys run
 * concurrently); their outcomes are held until every record before them has finished too, and are then
 * written in one transaction with the offset that covers them: an outcome is visible exactly when its
 * record is committed, so a crash neither loses one nor writes one twice.
 *
 * @param <T> what a finished record leaves to be written
 */
final class PartitionProgress<T> {

    /** Outcomes ready to be written, in offset order, and the offset to commit with them. */
    record Committable<T>(List<T> outcomes, long nextOffset) {
    }

    private final TreeMap<Long, T> open = new TreeMap<>();
    private long next = -1;
    private long committed = -1;

    void started(long offset) {
        open.put(offset, null);
        next = Math.max(next, offset + 1);
    }

    void finished(long offset, T outcome) {
        if (open.containsKey(offset)) {
            open.put(offset, outcome);
        }
    }

    /** Takes the finished outcomes below the first unfinished record; null when nothing moved. */
    Committable<T> take() {
        List<T> outcomes = new ArrayList<>();
        while (!open.isEmpty() && open.firstEntry().getValue() != null) {
            Map.Entry<Long, T> done = open.pollFirstEntry();
            outcomes.add(done.getValue());
        }
        if (outcomes.isEmpty()) {
            return null;
        }
        committed = open.isEmpty() ? next : open.firstKey();
        return new Committable<>(outcomes, committed);
    }

    /**
     * Where to commit a partition whose every record read has been committed, when the consumer's {@code position}
     * is beyond: the seal stage's transaction markers follow its last record, and a group committed short of them
     * shows a lag that never ends. Null when there is nothing to move.
     */
    Long settledAt(long position) {
        if (!open.isEmpty() || committed < 0 || position <= committed) {
            return null;
        }
        committed = position;
        return position;
    }

    boolean idle() {
        return open.isEmpty();
    }
}
