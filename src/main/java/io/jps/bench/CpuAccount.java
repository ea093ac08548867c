package io.jps.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the CPU time went between two moments, by part (the stages, the dispatcher, the broker, the sandbox, the
 * benchmark's own clients): this JVM's from each Java thread's CPU time and its name, and, where Linux's {@code /proc}
 * tells, the threads no Java thread list shows (the JIT compiler, the garbage collector, RocksDB's own threads); and
 * the app processes the benchmark started, from {@code /proc}, by their threads' names.
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
            return line + String.format(java.util.Locale.ROOT, " (kept %.2f of %d cores busy)", total / wallSeconds, cores);
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final long SELF = ProcessHandle.current().pid();

    private final Function<String, String> partOf;
    private final Function<String, String> appPartOf;
    private final List<Long> apps;
    private final Map<Long, Long> startCpu = new HashMap<>();
    private final Map<String, Long> startNativeTicks;
    private final Map<String, Long> startAppTicks;
    private final long startProcessCpu;
    private final long startWall;

    private CpuAccount(Function<String, String> partOf, List<Long> apps, Function<String, String> appPartOf) {
        this.partOf = partOf;
        this.apps = List.copyOf(apps);
        this.appPartOf = appPartOf;
        for (long id : THREADS.getAllThreadIds()) {
            startCpu.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
        }
        this.startNativeTicks = ProcTasks.ticksByPart(SELF, CpuAccount::nativePart);
        this.startAppTicks = appTicks();
        this.startProcessCpu = OS.getProcessCpuTime();
        this.startWall = System.nanoTime();
    }

    /**
     * @param partOf    the part a thread of this JVM belongs to, from its name
     * @param apps      the app processes the benchmark started, if any
     * @param appPartOf the part a thread of those belongs to, from the first 15 characters of its name
     */
    static CpuAccount start(Function<String, String> partOf, List<Long> apps, Function<String, String> appPartOf) {
        if (THREADS.isThreadCpuTimeSupported() && !THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        return new CpuAccount(partOf, apps, appPartOf);
    }

    private static String nativePart(String name) {
        if (ProcTasks.isCompiler(name)) {
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

    /** Each app process's ticks by part, and, under "the rest", all of its own that no part claims. */
    private Map<String, Long> appTicks() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (int i = 0; i < apps.size(); i++) {
            String process = "app process " + i + ": ";
            long claimed = 0;
            for (var part : new java.util.TreeMap<>(ProcTasks.ticksByPart(apps.get(i), name -> {
                String named = ProcTasks.isCompiler(name) ? "JIT compiler" : appPartOf.apply(name);
                return named == null ? null : process + named;
            })).entrySet()) {
                ticks.put(part.getKey(), part.getValue());
                claimed += part.getValue();
            }
            ticks.put(process + "the rest", Math.max(0, ProcTasks.processTicks(apps.get(i)) - claimed));
        }
        return ticks;
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
        for (var part : ProcTasks.ticksByPart(SELF, CpuAccount::nativePart).entrySet()) {
            double used = (part.getValue() - startNativeTicks.getOrDefault(part.getKey(), 0L)) / ProcTasks.TICKS_PER_SECOND;
            seconds.merge(part.getKey(), used, Double::sum);
            attributed += used;
        }
        // Threads that ended within the window took their CPU time with them; it lands here.
        seconds.put("unattributed", Math.max(0, process - attributed));
        for (var part : appTicks().entrySet()) {
            seconds.put(part.getKey(), (part.getValue() - startAppTicks.getOrDefault(part.getKey(), 0L)) / ProcTasks.TICKS_PER_SECOND);
        }
        return new Shares(seconds, (System.nanoTime() - startWall) / 1e9, Runtime.getRuntime().availableProcessors());
    }
}
