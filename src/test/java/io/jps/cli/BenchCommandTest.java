package io.jps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void refusesANegativeNumberOfAppProcessesBeforeMeasuringAnything() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "--stage", "seal", "--processes", "-1");

        assertThat(exit).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--processes must be 0 (this JVM) or more");
        assertThat(out.toString()).doesNotContain("raw RSA");
    }

    @Test
    void refusesAStageItDoesNotKnow() {
        StringWriter err = new StringWriter();

        int exit = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "bench", "--stage", "dispatch");

        assertThat(exit).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--stage must be seal, open or loop");
    }
}
