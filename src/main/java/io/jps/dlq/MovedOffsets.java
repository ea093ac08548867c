package io.jps.dlq;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** The offsets of one dead-letter topic that were moved back before, per partition, as sorted arrays. */
final class MovedOffsets {

    private final Map<Integer, long[]> byPartition = new HashMap<>();
    private final Map<Integer, Integer> sizes = new HashMap<>();
    private boolean sorted = true;

    void add(int partition, long offset) {
        long[] offsets = byPartition.computeIfAbsent(partition, p -> new long[16]);
        int size = sizes.getOrDefault(partition, 0);
        if (size == offsets.length) {
            offsets = Arrays.copyOf(offsets, size * 2);
            byPartition.put(partition, offsets);
        }
        offsets[size] = offset;
        sizes.put(partition, size + 1);
        sorted = false;
    }

    boolean contains(int partition, long offset) {
        if (!sorted) {
            byPartition.replaceAll((p, offsets) -> {
                long[] trimmed = Arrays.copyOf(offsets, sizes.get(p));
                Arrays.sort(trimmed);
                return trimmed;
            });
            byPartition.forEach((p, offsets) -> sizes.put(p, offsets.length));
            sorted = true;
        }
        long[] offsets = byPartition.get(partition);
        return offsets != null && Arrays.binarySearch(offsets, offset) >= 0;
    }

    int size() {
        return sizes.values().stream().mapToInt(Integer::intValue).sum();
    }
}
