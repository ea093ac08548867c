package io.jps.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The programs some tests run besides Java: Prometheus, promtool and Chromium for the monitoring tests, Node.js for
 * Juspay's reference code, docker-compose for the deployables, as Debian packages ({@code scripts/install-test-tools.sh}).
 * Missing under CI is a failure; on a developer's machine, a skip that says what to install.
 */
public final class TestTools {

    private TestTools() {
    }

    public static Path require(String program) {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst();
        if (found.isPresent()) {
            return found.get();
        }
        String reason = program + " is not installed; scripts/install-test-tools.sh installs it";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + " (CI=true: every test must run)");
        }
        System.out.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }
}
