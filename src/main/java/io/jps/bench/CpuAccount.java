package io.jps.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Where this JVM's CPU time went between two moments, by part (the stages, the dispatcher, the broker, the sandbox,
 * the benchmark's own clients), from each thread's CPU time and its name. What no Java thread accounts for (the
 * garbage collector, the JIT compiler) is the rest of the process's CPU time.
 */
final class CpuAccount {

    /** CPU seconds by part over the window, and the window's length. */
    record Shares(Map<String, Double> seconds, double wallSeconds, int cores) {
        double total() {
            return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        String describe() {
            StringBuilder line = new StringBuilder();
            double total = total();
            seconds.forEach((part, cpu) -> line.append(line.length() == 0 ? "" : ", ").append(part).append(' ')
                    .append(Math.round(100 * cpu / total)).append('%'));
            return line + String.format(java.util.Locale.ROOT, " (the process kept %.2f of %d cores busy)",
                    total / wallSeconds, cores);
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final Function<String, String> partOf;
    private final Map<Long, Long> startCpu = new HashMap<>();
    private final long startProcessCpu;
    private final long startWall;

    private CpuAccount(Function<String, String> partOf) {
        this.partOf = partOf;
        for (long id : THREADS.getAllThreadIds()) {
            startCpu.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
        }
        this.startProcessCpu = OS.getProcessCpuTime();
        this.startWall = System.nanoTime();
    }

    /** @param partOf the part a thread belongs to, from its name */
    static CpuAccount start(Function<String, String> partOf) {
        if (THREADS.isThreadCpuTimeSupported() && !THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        return new CpuAccount(partOf);
    }

    Shares stop() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        double attributed = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            if (cpu < 0) {
                continue;
            }
            double used = (cpu - startCpu.getOrDefault(info.getThreadId(), 0L)) / 1e9;
            seconds.merge(partOf.apply(info.getThreadName()), used, Double::sum);
            attributed += used;
        }
        double process = (OS.getProcessCpuTime() - startProcessCpu) / 1e9;
        // Threads that ended within the window took their CPU time with them; it lands here too.
        seconds.put("GC, JIT and ended threads", Math.max(0, process - attributed));
        return new Shares(seconds, (System.nanoTime() - startWall) / 1e9, Runtime.getRuntime().availableProcessors());
    }
}
