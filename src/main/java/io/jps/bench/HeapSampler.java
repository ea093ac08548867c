package io.jps.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The heap in use, sampled four times a second, with the lowest sample of each stretch of the run: right after a
 * collection the heap holds about what is live, so the lows show whether what a run keeps grows with it.
 */
final class HeapSampler implements AutoCloseable {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private final List<Long> samples = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread sampler;

    HeapSampler() {
        sampler = new Thread(() -> {
            while (running.get()) {
                synchronized (samples) {
                    samples.add(MEMORY.getHeapMemoryUsage().getUsed());
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** The lowest heap in use in each of {@code stretches} equal parts of the run, in MiB. */
    List<Long> lowsMiB(int stretches) {
        List<Long> lows = new ArrayList<>();
        synchronized (samples) {
            int per = Math.max(1, samples.size() / stretches);
            for (int from = 0; from < samples.size(); from += per) {
                lows.add(samples.subList(from, Math.min(samples.size(), from + per)).stream().mapToLong(Long::longValue).min()
                        .orElse(0) / (1024 * 1024));
            }
        }
        return lows;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        sampler.interrupt();
        sampler.join(1_000);
    }
}
