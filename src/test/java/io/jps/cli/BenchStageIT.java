package io.jps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each stage benchmark, tiny: it runs on the embedded broker, every record comes out, and it prints each figure with
 * the command that reproduces it. What the figures are is the benchmark's business, never a test's.
 */
class BenchStageIT {

    @ParameterizedTest(name = "bench --stage {0}")
    @CsvSource({"seal, 1", "open, 1", "loop, 4"})
    void runsTheStageAndReportsEveryFigure(String stage, int privateKeyOperations) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "--stage", stage,
                "--records", "60", "--warmup-records", "20", "--no-settle", "--threads", "1", "--partitions", "2");

        assertThat(exit).as(out + "\n" + err).isZero();
        assertThat(out.toString())
                .containsPattern("raw RSA-2048 private-key rate: [0-9,]+ sign/s on 1 thread\\(s\\)")
                .containsPattern("throughput [0-9,]+ records/s = [0-9.]+ of the limit [0-9,]+/s \\(raw RSA / "
                        + privateKeyOperations + " private-key operation\\(s\\) per record\\)")
                .containsPattern("latency at 50% of that \\([0-9,]+ records/s, [0-9,]+ records\\): p50 [0-9.]+ ms, p99 [0-9.]+ ms")
                .containsPattern("CPU while measuring throughput: broker and the rest [0-9]+%.*seal/open stages [0-9]+%")
                .contains("heap in use, lowest in each tenth of the run (MiB): [")
                .contains("reproduce: java -jar target/jose-payment-streams.jar bench --stage " + stage + " --records 60");
    }

    @Test
    void sharesTheLoopBetweenTwoAppProcessesOfTheirOwn() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "--stage", "loop", "--processes", "2",
                "--records", "60", "--warmup-records", "20", "--no-settle", "--threads", "1", "--partitions", "2");

        assertThat(exit).as(out + "\n" + err).isZero();
        // Both processes took a share: each one's stages and dispatcher spent CPU on the measured records.
        assertThat(out.toString())
                .containsPattern("raw RSA-2048 private-key rate: [0-9,]+ sign/s on 2 thread\\(s\\)")
                .contains("1 stream thread(s) in each of 2 app processes")
                .containsPattern("app process 0: dispatcher [1-9][0-9]*%.*app process 0: stages [1-9][0-9]*%")
                .containsPattern("app process 1: dispatcher [1-9][0-9]*%.*app process 1: stages [1-9][0-9]*%")
                .contains("--threads 1 --processes 2 --partitions 2");
    }
}
