package io.jps.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * CPU time of a process and of its threads by what they are, from Linux's {@code /proc}: the one account that covers
 * threads no Java thread list shows (the JIT compiler, the garbage collector, RocksDB's) and processes other than this
 * one. A thread's name there is its first 15 characters.
 */
final class ProcTasks {

    /** {@code /proc}'s CPU times are in clock ticks: 100 a second on every Linux this runs on. */
    static final double TICKS_PER_SECOND = 100;

    private ProcTasks() {
    }

    /** CPU ticks of {@code pid}'s threads by the part {@code partOf} names from each thread's name (null: not counted). */
    static Map<String, Long> ticksByPart(long pid, Function<String, String> partOf) {
        Map<String, Long> ticks = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String part = partOf.apply(Files.readString(task.resolve("comm")).trim());
                    if (part != null) {
                        ticks.merge(part, cpuTicks(Files.readString(task.resolve("stat"))), Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return ticks;
    }

    /** CPU ticks of the whole process, its ended threads included; 0 once it is gone. */
    static long processTicks(long pid) {
        try {
            return cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The JIT compiler's threads, by their names. */
    static boolean isCompiler(String threadName) {
        return threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler");
    }

    private static long cpuTicks(String stat) {
        // after the name in parentheses: state (0) ... utime (11), stime (12)
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
