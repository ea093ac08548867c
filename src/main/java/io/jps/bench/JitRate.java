package io.jps.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/** How many cores the JIT compiler kept busy since the last time it was asked. */
final class JitRate {

    private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();

    private long lastCompileMillis = COMPILER.getTotalCompilationTime();
    private long lastNanos = System.nanoTime();

    double coresSinceLastAsked() {
        long compile = COMPILER.getTotalCompilationTime();
        long now = System.nanoTime();
        double cores = (compile - lastCompileMillis) / 1e3 / ((now - lastNanos) / 1e9);
        lastCompileMillis = compile;
        lastNanos = now;
        return cores;
    }
}
