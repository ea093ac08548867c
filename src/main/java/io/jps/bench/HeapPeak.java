package io.jps.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The most heap this JVM had in use, sampled every 50 ms from when it is started: what "flat heap" is measured
 * by. Used heap includes garbage not yet collected, so it is an upper bound of what was live.
 */
public final class HeapPeak implements AutoCloseable {

    private static final long SAMPLE_MILLIS = 50;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread sampler;
    private volatile long peak;
    private volatile boolean stopped;

    private HeapPeak() {
        this.sampler = new Thread(this::sample, "jps-heap-peak");
        sampler.setDaemon(true);
    }

    public static HeapPeak start() {
        HeapPeak heapPeak = new HeapPeak();
        heapPeak.sampler.start();
        return heapPeak;
    }

    public long bytes() {
        return Math.max(peak, memory.getHeapMemoryUsage().getUsed());
    }

    /** The heap's limit (-Xmx). */
    public long maxBytes() {
        return memory.getHeapMemoryUsage().getMax();
    }

    private void sample() {
        while (!stopped) {
            peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        sampler.interrupt();
    }
}
