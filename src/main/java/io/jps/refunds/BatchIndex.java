package io.jps.refunds;

import io.jps.profile.Printable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The batch's rows as reconciliation needs them, and nothing else: per row its 128-bit id, its line, how it
 * ended, the HTTP status and the reason, in primitive arrays in file order, plus the rows sorted by id for lookup.
 * 28 bytes a row (16 id, 4 line, 4 sort order, 1 ending, 2 status, 1 reason), plus a bit for "refused as a
 * duplicate": 100,000 rows take under 3 MB, whatever the topics hold. No payload, no record is kept.
 */
public final class BatchIndex {

    private static final int MAX_REASONS = 250;
    private static final String OTHER_REASON = "OTHER";

    private final long[] high;
    private final long[] low;
    private final int[] line;
    private final int[] byId;
    private final byte[] ending;
    private final short[] httpStatus;
    private final byte[] reason;
    private final BitSet refusedAsDuplicate;
    private final List<String> reasons = new ArrayList<>(List.of("", OTHER_REASON));
    private final Map<String, Integer> reasonNumbers = new HashMap<>(Map.of("", 0, OTHER_REASON, 1));
    private int accounted;
    private int refusedUnaccounted;

    private BatchIndex(long[] high, long[] low, int[] line) {
        this.high = high;
        this.low = low;
        this.line = line;
        this.byId = sortedById(high, low);
        this.ending = new byte[high.length];
        this.httpStatus = new short[high.length];
        this.reason = new byte[high.length];
        this.refusedAsDuplicate = new BitSet(high.length);
    }

    /** A row whose id an earlier row of the file already has: the same refund twice. */
    public record Repeat(long line, long firstLine) {
    }

    /** The index, and the rows left out of it because they repeat an earlier one. */
    public record Built(BatchIndex index, List<Repeat> repeats) {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects rows as the file is read; arrays grow by half, so a file is never held whole, only its ids. */
    public static final class Builder {
        private long[] high = new long[1024];
        private long[] low = new long[1024];
        private int[] line = new int[1024];
        private int size;

        public void add(RefundId id, long lineNumber) {
            if (lineNumber > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a refund file of more than " + Integer.MAX_VALUE + " lines");
            }
            if (size == high.length) {
                int grown = size + (size >> 1);
                high = Arrays.copyOf(high, grown);
                low = Arrays.copyOf(low, grown);
                line = Arrays.copyOf(line, grown);
            }
            high[size] = id.high();
            low[size] = id.low();
            line[size] = (int) lineNumber;
            size++;
        }

        public Built build() {
            int[] order = sortedById(high, low, size);
            BitSet repeated = new BitSet(size);
            List<Repeat> repeats = new ArrayList<>();
            int runFirst = -1;
            for (int row : order) {
                // Equal ids sort in file order: the first row of a run is the one kept.
                if (runFirst >= 0 && high[runFirst] == high[row] && low[runFirst] == low[row]) {
                    repeated.set(row);
                    repeats.add(new Repeat(line[row], line[runFirst]));
                } else {
                    runFirst = row;
                }
            }
            int kept = size - repeated.cardinality();
            long[] keptHigh = new long[kept];
            long[] keptLow = new long[kept];
            int[] keptLine = new int[kept];
            for (int row = 0, to = 0; row < size; row++) {
                if (!repeated.get(row)) {
                    keptHigh[to] = high[row];
                    keptLow[to] = low[row];
                    keptLine[to] = line[row];
                    to++;
                }
            }
            repeats.sort(Comparator.comparingLong(Repeat::line));
            return new Built(new BatchIndex(keptHigh, keptLow, keptLine), List.copyOf(repeats));
        }
    }

    private static int[] sortedById(long[] high, long[] low) {
        return sortedById(high, low, high.length);
    }

    /** Rows by (high, low), ties in file order; boxed only while sorting. */
    private static int[] sortedById(long[] high, long[] low, int size) {
        Integer[] rows = new Integer[size];
        for (int i = 0; i < size; i++) {
            rows[i] = i;
        }
        Arrays.sort(rows, (a, b) -> {
            int byHigh = Long.compare(high[a], high[b]);
            if (byHigh != 0) {
                return byHigh;
            }
            int byLow = Long.compare(low[a], low[b]);
            return byLow != 0 ? byLow : Integer.compare(a, b);
        });
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = rows[i];
        }
        return order;
    }

    public int size() {
        return high.length;
    }

    /** The row with this id, or -1. */
    public int find(RefundId id) {
        int from = 0;
        int to = byId.length - 1;
        while (from <= to) {
            int middle = (from + to) >>> 1;
            int row = byId[middle];
            int compared = Long.compare(high[row], id.high());
            if (compared == 0) {
                compared = Long.compare(low[row], id.low());
            }
            if (compared == 0) {
                return row;
            }
            if (compared < 0) {
                from = middle + 1;
            } else {
                to = middle - 1;
            }
        }
        return -1;
    }

    public RefundId id(int row) {
        return new RefundId(high[row], low[row]);
    }

    public long line(int row) {
        return line[row];
    }

    /** Records where the row's request ended, if that says more than what is known already. */
    void settle(int row, Ending newEnding, int status, String reasonCode) {
        Ending current = ending(row);
        if (!newEnding.supersedes(current)) {
            return;
        }
        if (current == Ending.NONE) {
            accounted++;
            if (refusedAsDuplicate.get(row)) {
                refusedUnaccounted--;
            }
        }
        ending[row] = (byte) newEnding.ordinal();
        httpStatus[row] = (short) Math.max(0, Math.min(status, Short.MAX_VALUE));
        reason[row] = (byte) reasonNumber(reasonCode == null ? "" : Printable.of(reasonCode));
    }

    /** The seal stage refused the row's request as seen before: its first outcome may be older than this batch. */
    void refusedAsDuplicate(int row) {
        if (!refusedAsDuplicate.get(row)) {
            refusedAsDuplicate.set(row);
            if (ending(row) == Ending.NONE) {
                refusedUnaccounted++;
            }
        }
    }

    /** Rows refused as resubmitted whose first outcome has not been found yet: what a history search looks for. */
    int refusedUnaccounted() {
        return refusedUnaccounted;
    }

    Ending ending(int row) {
        return Ending.values()[ending[row]];
    }

    public RowOutcome outcome(int row) {
        return ending(row).outcome();
    }

    /** 0 when there is none (no answer, or a dead letter). */
    public int httpStatus(int row) {
        return httpStatus[row];
    }

    /** The dead letter's reason code; empty when the row has none. */
    public String reason(int row) {
        return reasons.get(reason[row] & 0xff);
    }

    /** Rows whose request has ended somewhere. */
    public int accounted() {
        return accounted;
    }

    public boolean allAccounted() {
        return accounted == size();
    }

    public Map<RowOutcome, Integer> counts() {
        Map<RowOutcome, Integer> counts = new EnumMap<>(RowOutcome.class);
        for (RowOutcome outcome : RowOutcome.values()) {
            counts.put(outcome, 0);
        }
        for (int row = 0; row < size(); row++) {
            counts.merge(outcome(row), 1, Integer::sum);
        }
        return counts;
    }

    private int reasonNumber(String code) {
        Integer known = reasonNumbers.get(code);
        if (known != null) {
            return known;
        }
        if (reasons.size() >= MAX_REASONS) {
            return reasonNumbers.get(OTHER_REASON);
        }
        reasons.add(code);
        reasonNumbers.put(code, reasons.size() - 1);
        return reasons.size() - 1;
    }
}
