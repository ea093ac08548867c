package io.jps.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code openssl} command line, as a provider or a key custodian runs it. Tests that use it fail, never skip, when
 * it is missing: CI has it, and a keyset made by our own code would prove nothing about the formats others hand out.
 */
public final class OpenSsl {

    private static final long TIMEOUT_SECONDS = 120;

    private OpenSsl() {
    }

    /** Runs {@code openssl args...} in {@code dir} and returns its standard output. */
    public static String run(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new AssertionError("this test needs the openssl command line (CI installs it), and it cannot be run here: "
                    + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("openssl " + args[0] + " did not finish");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("openssl " + String.join(" ", args) + " failed (exit " + process.exitValue() + "): "
                        + new String(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("openssl " + args[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while openssl ran", e);
        }
    }
}
