package io.jps.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scheduler on which every delay passes at once, and the ticker those delays move: a test sees how long the
 * dispatcher would have waited, and waits for nothing.
 */
final class VirtualTime extends ScheduledThreadPoolExecutor {

    private final AtomicLong nanos = new AtomicLong();
    private final List<Duration> delays = new ArrayList<>();

    VirtualTime() {
        super(1);
    }

    long nanoTime() {
        return nanos.get();
    }

    /** Every delay that was asked for, in order. */
    synchronized List<Duration> delays() {
        return List.copyOf(delays);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        pass(delay, unit);
        return super.schedule(command, 0, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        pass(delay, unit);
        return super.schedule(callable, 0, unit);
    }

    private synchronized void pass(long delay, TimeUnit unit) {
        if (delay > 0) {
            delays.add(Duration.ofNanos(unit.toNanos(delay)));
            nanos.addAndGet(unit.toNanos(delay));
        }
    }
}
