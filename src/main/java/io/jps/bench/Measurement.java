package io.jps.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an operation in a loop on N threads for a fixed time after a warm-up, and reports operations per
 * second. Every thread runs the same operation on shared engine objects, as the stages do.
 */
final class Measurement {

    interface Operation {
        void run() throws Exception;
    }

    private final Duration warmup;
    private final Duration duration;

    Measurement(Duration warmup, Duration duration) {
        this.warmup = warmup;
        this.duration = duration;
    }

    double run(int threads, Operation operation) {
        loop(threads, operation, warmup);
        long started = System.nanoTime();
        long count = loop(threads, operation, duration);
        return count / ((System.nanoTime() - started) / 1e9);
    }

    private static long loop(int threads, Operation operation, Duration time) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicBoolean stop = new AtomicBoolean();
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    long n = 0;
                    while (!stop.get()) {
                        operation.run();
                        n++;
                    }
                    return n;
                }));
            }
            Thread.sleep(time.toMillis());
            stop.set(true);
            long total = 0;
            for (Future<Long> result : results) {
                total += result.get();
            }
            return total;
        } catch (Exception e) {
            throw new IllegalStateException("benchmark operation failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
    }
}
