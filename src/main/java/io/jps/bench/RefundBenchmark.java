package io.jps.bench;

import io.jps.app.EmbeddedPipeline;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * {@code bench refunds}: a file of Juspay refunds through {@code refunds submit --wait} on the embedded default, the
 * pipeline in this JVM and the submitter in a JVM of its own with a small heap. Says rows per second from the
 * submitter's start to its exit, and the peak heap of each JVM.
 */
public final class RefundBenchmark {

    /**
     * @param submitterHeap -Xmx of the submitting JVM, e.g. {@code 64m}: that a batch of any size fits is the point
     */
    public record Options(int rows, String submitterHeap) {
    }

    /** What was measured. */
    public record Report(int rows, int submitExitCode, String submitSummary, double seconds, long submitterPeakBytes,
                         long pipelinePeakBytes, long pipelineMaxBytes) {
        public double rowsPerSecond() {
            return rows / seconds;
        }
    }

    private RefundBenchmark() {
    }

    public static Report run(Options options, PrintWriter out) throws Exception {
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(new EmbeddedPipeline.Options(UnaryOperator.identity(), 0,
                // No rate limit, room for many requests in flight, and the patience of a long batch.
                "{rateLimit: 0, maxInFlight: 256, timeout: PT30S}"), out)) {
            Path file = pipeline.workDir().resolve("refunds.csv");
            writeRows(file, options.rows());
            out.println("Submitting " + options.rows() + " refunds from " + file.getFileName() + " in a JVM of its own (-Xmx"
                    + options.submitterHeap() + ") ...");
            out.flush();
            List<String> command = ThisJava.command(List.of("-Xmx" + options.submitterHeap()), MeasuredSubmit.class, List.of(
                    "refunds", "submit", "--provider", "juspay", "--file", file.toString(), "--wait", "--timeout", "PT2H",
                    "--config", pipeline.configFile().toString(), "--keys", pipeline.keys().toString()));
            try (HeapPeak pipelinePeak = HeapPeak.start()) {
                long started = System.nanoTime();
                Process submitter = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                List<String> lines = new ArrayList<>();
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(submitter.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        lines.add(line);
                    }
                }
                int exit = submitter.waitFor();
                double seconds = (System.nanoTime() - started) / 1e9;
                long submitterPeak = lines.stream().filter(line -> line.startsWith(MeasuredSubmit.PEAK_PREFIX))
                        .mapToLong(line -> Long.parseLong(line.substring(MeasuredSubmit.PEAK_PREFIX.length()))).findFirst().orElse(-1);
                String summary = lines.stream().filter(line -> line.contains(" rows: ")).findFirst().orElse("(no summary)");
                return new Report(options.rows(), exit, summary, seconds, submitterPeak, pipelinePeak.bytes(), pipelinePeak.maxBytes());
            }
        }
    }

    public static void print(Report report, Options options, PrintWriter out) {
        out.printf(Locale.ROOT, "refunds submit --wait: %,d rows in %.1f s = %,.0f rows/s (exit code %d: %s)%n", report.rows(),
                report.seconds(), report.rowsPerSecond(), report.submitExitCode(), report.submitSummary());
        out.printf(Locale.ROOT, "peak heap used: submitter %s (its own JVM, -Xmx%s); pipeline %s of %s (broker, sandbox and every "
                        + "stage in this JVM)%n", mib(report.submitterPeakBytes()), options.submitterHeap(), mib(report.pipelinePeakBytes()),
                mib(report.pipelineMaxBytes()));
        out.println("reproduce: java -jar target/jose-payment-streams.jar bench refunds --rows " + report.rows()
                + " --submitter-heap " + options.submitterHeap());
        out.flush();
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
    }

    /** Three refunds per order, as a payment is refunded in parts. */
    private static void writeRows(Path file, int rows) throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(file)) {
            writer.write("order_id,unique_request_id,amount\n");
            for (int i = 0; i < rows; i++) {
                writer.write("ord_" + (i / 3) + ",rf_bench_" + i + "," + (1 + i % 100) + ".00\n");
            }
        }
    }
}
