package io.jps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.sandbox.FaultPlan.RequestClass;
import io.jps.sandbox.SandboxSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SandboxCommandTest {

    @Test
    void turnsItsOptionsIntoSandboxSettings() {
        SandboxCommand command = new SandboxCommand();
        new CommandLine(command).parseArgs("--sandbox-keys", "target/sk", "--host", "0.0.0.0", "--port", "0", "--seed", "7",
                "--fault-down", "0.05", "--fault-5xx", "0.1", "--fault-429", "0.1", "--fault-hang", "0.02",
                "--fault-reset", "0.03", "--fault-tamper", "0.04", "--fault-wrong-signer", "0.06", "--fault-not-jose", "0.07",
                "--fault-latency", "0.5", "--latency", "PT0.05S", "--hang-time", "PT12S", "--retry-after", "2",
                "--dir-answers", "0.25");

        SandboxSettings settings = command.settings();

        assertThat(settings.keysDir()).isEqualTo(Path.of("target/sk"));
        assertThat(settings.host()).isEqualTo("0.0.0.0");
        assertThat(settings.port()).isZero();
        assertThat(settings.seed()).isEqualTo(7);
        assertThat(settings.faults().of(RequestClass.DOWN)).isEqualTo(0.05);
        assertThat(settings.faults().of(RequestClass.SERVER_ERROR_ONCE)).isEqualTo(0.1);
        assertThat(settings.faults().of(RequestClass.RATE_LIMITED_ONCE)).isEqualTo(0.1);
        assertThat(settings.faults().of(RequestClass.HANG_ONCE)).isEqualTo(0.02);
        assertThat(settings.faults().of(RequestClass.RESET_ONCE)).isEqualTo(0.03);
        assertThat(settings.faults().of(RequestClass.TAMPERED)).isEqualTo(0.04);
        assertThat(settings.faults().of(RequestClass.WRONG_SIGNER)).isEqualTo(0.06);
        assertThat(settings.faults().of(RequestClass.NOT_JOSE)).isEqualTo(0.07);
        assertThat(settings.faults().latency()).isEqualTo(0.5);
        assertThat(settings.latency()).isEqualTo(Duration.ofMillis(50));
        assertThat(settings.hangTime()).isEqualTo(Duration.ofSeconds(12));
        assertThat(settings.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.directAnswerRate()).isEqualTo(0.25);
    }

    @Test
    void defaultsToAWellBehavedSandboxOnLoopbackPort8070() {
        SandboxCommand command = new SandboxCommand();
        new CommandLine(command).parseArgs();

        SandboxSettings settings = command.settings();

        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(8070);
        assertThat(settings.keysDir()).isEqualTo(Path.of("sandbox-keys"));
        assertThat(settings.faults().of(RequestClass.CLEAN)).isEqualTo(1.0);
        assertThat(settings.plan().decide("any-key", 1).faults()).isEmpty();
    }

    @Test
    void refusesAnIpv6HostBeforeListening() {
        assertThat(Main.run("sandbox", "--host", "::", "--port", "0")).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void refusesFaultRatesAddingUpToMoreThanOneBeforeListening() {
        assertThat(Main.run("sandbox", "--port", "0", "--fault-5xx", "0.7", "--fault-429", "0.7")).isEqualTo(Main.EXIT_USAGE);
    }
}
