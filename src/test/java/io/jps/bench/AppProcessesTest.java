package io.jps.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jps.app.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppProcessesTest {

    @TempDir
    Path dir;

    @Test
    void anAppProcessThatEndsIsReportedWithItsExitCodeAndLog() throws Exception {
        Path properties = Files.writeString(dir.resolve("client.properties"), "");

        try (AppProcesses processes = AppProcesses.start(1, Role.SEAL_OPEN, dir.resolve("no-such-config.yaml"), dir.resolve("keys"),
                properties, dir)) {
            assertThat(processes.pids()).hasSize(1);
            long pid = processes.pids().get(0);
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));

            assertThatThrownBy(processes::checkAlive).isInstanceOf(IllegalStateException.class)
                    .hasMessageMatching("app process 0 ended with exit code [1-9][0-9]*; its log: .*app-0\\.log");
            assertThat(Files.readString(dir.resolve("app-0.log"))).contains("no-such-config.yaml");
        }
    }
}
