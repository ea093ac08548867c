package io.jps.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One partition's records between being read and being committed. Records finish out of order (keys run
 * concurrently); their outcomes are held until every record before them has finished too, and are then
 * written in one transaction with the offset that covers them: an outcome is visible exactly when its
 * record is committed, so a crash neither loses one nor writes one twice.
 */
final class PartitionProgress {

    /** Outcomes ready to be written, in offset order, and the offset to commit with them. */
    record Committable(List<ProducerRecord<byte[], byte[]>> outcomes, long nextOffset) {
    }

    private final TreeMap<Long, ProducerRecord<byte[], byte[]>> open = new TreeMap<>();
    private long next = -1;

    void started(long offset) {
        open.put(offset, null);
        next = Math.max(next, offset + 1);
    }

    void finished(long offset, ProducerRecord<byte[], byte[]> outcome) {
        if (open.containsKey(offset)) {
            open.put(offset, outcome);
        }
    }

    /** Takes the finished outcomes below the first unfinished record; null when nothing moved. */
    Committable take() {
        List<ProducerRecord<byte[], byte[]>> outcomes = new ArrayList<>();
        while (!open.isEmpty() && open.firstEntry().getValue() != null) {
            Map.Entry<Long, ProducerRecord<byte[], byte[]>> done = open.pollFirstEntry();
            outcomes.add(done.getValue());
        }
        if (outcomes.isEmpty()) {
            return null;
        }
        return new Committable(outcomes, open.isEmpty() ? next : open.firstKey());
    }

    boolean idle() {
        return open.isEmpty();
    }
}
