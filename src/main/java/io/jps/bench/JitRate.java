package io.jps.bench;

import java.util.List;

/** How many cores the JIT compilers of some processes kept busy since the last time it was asked. */
final class JitRate {

    private final List<Long> pids;
    private long lastTicks;
    private long lastNanos = System.nanoTime();

    JitRate(List<Long> pids) {
        this.pids = List.copyOf(pids);
        this.lastTicks = compilerTicks();
    }

    double coresSinceLastAsked() {
        long ticks = compilerTicks();
        long now = System.nanoTime();
        double cores = (ticks - lastTicks) / ProcTasks.TICKS_PER_SECOND / ((now - lastNanos) / 1e9);
        lastTicks = ticks;
        lastNanos = now;
        return cores;
    }

    private long compilerTicks() {
        return pids.stream().mapToLong(pid -> ProcTasks.ticksByPart(pid, name -> ProcTasks.isCompiler(name) ? "jit" : null)
                .getOrDefault("jit", 0L)).sum();
    }
}
