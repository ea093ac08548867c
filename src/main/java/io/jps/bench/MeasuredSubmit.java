package io.jps.bench;

import io.jps.cli.Main;

/**
 * The submitting process of {@code bench refunds}: runs one command of the jar in a JVM of its own (so its heap is its
 * own, and can be capped with -Xmx), then prints its peak heap on a last line, {@code peak-heap-bytes=N}.
 */
public final class MeasuredSubmit {

    static final String PEAK_PREFIX = "peak-heap-bytes=";

    private MeasuredSubmit() {
    }

    public static void main(String[] args) {
        int exit;
        try (HeapPeak peak = HeapPeak.start()) {
            exit = Main.run(args);
            System.out.println(PEAK_PREFIX + peak.bytes());
        }
        System.exit(exit);
    }
}
