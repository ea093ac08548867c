package io.jps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The batch refunds benchmark, tiny: it runs, every row succeeds, and it prints its figures with the command behind them. */
class BenchRefundsIT {

    @Test
    void measuresRowsPerSecondAndThePeakHeapOfBothProcesses() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "refunds", "--rows", "200");

        assertThat(exit).as(out + "\n" + err).isZero();
        assertThat(out.toString())
                .containsPattern("refunds submit --wait: 200 rows in [0-9.]+ s = [0-9,]+ rows/s \\(exit code 0: 200 rows: 200 succeeded")
                .containsPattern("peak heap used: submitter [0-9,]+ MiB \\(its own JVM, -Xmx64m\\); pipeline [0-9,]+ MiB of [0-9,]+ MiB")
                .contains("reproduce: java -jar target/jose-payment-streams.jar bench refunds --rows 200 --submitter-heap 64m");
    }
}
