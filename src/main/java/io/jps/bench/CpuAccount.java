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
 * the benchmark's own clients), from each Java thread's CPU time and its name; and, where Linux's {@code /proc}
 * tells, the threads no Java thread list shows: the JIT compiler, the garbage collector, RocksDB's own threads.
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

    private static final java.nio.file.Path TASKS = java.nio.file.Path.of("/proc/self/task");
    /** {@code /proc}'s CPU times are in clock ticks: 100 a second on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private final Function<String, String> partOf;
    private final Map<Long, Long> startCpu = new HashMap<>();
    private final Map<String, Long> startNativeTicks;
    private final long startProcessCpu;
    private final long startWall;

    private CpuAccount(Function<String, String> partOf) {
        this.partOf = partOf;
        for (long id : THREADS.getAllThreadIds()) {
            startCpu.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
        }
        this.startNativeTicks = nativeTicks();
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

    /** CPU ticks of the threads that are not Java threads, by what they are, from their names in {@code /proc}. */
    private static Map<String, Long> nativeTicks() {
        Map<String, Long> ticks = new HashMap<>();
        try (var tasks = java.nio.file.Files.list(TASKS)) {
            for (java.nio.file.Path task : tasks.toList()) {
                try {
                    String name = java.nio.file.Files.readString(task.resolve("comm")).trim();
                    String part = nativePart(name);
                    if (part == null) {
                        continue;
                    }
                    String stat = java.nio.file.Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // after the name: state (0) ... utime (11), stime (12)
                    ticks.merge(part, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended while being read
                }
            }
        } catch (java.io.IOException e) {
            return Map.of();
        }
        return ticks;
    }

    private static String nativePart(String name) {
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return "JIT compiler";
        }
        if (name.startsWith("G1 ") || name.startsWith("GC Thread") || name.startsWith("VM Periodic") || name.equals("VM Thread")) {
            return "garbage collector and VM";
        }
        if (name.startsWith("rocksdb")) {
            return "RocksDB's own threads";
        }
        return null;
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
        Map<String, Long> nativeTicks = nativeTicks();
        for (var part : nativeTicks.entrySet()) {
            double used = (part.getValue() - startNativeTicks.getOrDefault(part.getKey(), 0L)) / TICKS_PER_SECOND;
            seconds.merge(part.getKey(), used, Double::sum);
            attributed += used;
        }
        // Threads that ended within the window took their CPU time with them; it lands here.
        seconds.put("unattributed", Math.max(0, process - attributed));
        return new Shares(seconds, (System.nanoTime() - startWall) / 1e9, Runtime.getRuntime().availableProcessors());
    }
}
