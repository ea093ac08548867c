package io.jps.sandbox;

import io.jps.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the sandbox runs: where the provider's keysets are, where it listens, and which faults it injects.
 *
 * @param keysDir          the provider side of every keyset: {@code <provider>/<account>/provider-private.pem},
 *                         {@code merchant-public.pem}, {@code secrets.properties}
 * @param port             the loopback port to listen on; 0 picks a free one
 * @param seed             the seed of the {@link FaultPlan}: the same seed, the same faults for the same requests
 * @param faults           how often each fault happens
 * @param directAnswerRate the share of requests answered with {@code alg: dir} where the profile allows it (Wise)
 * @param latency          the delay added to an attempt that meets LATENCY
 * @param hangTime         how long a hung attempt is held before its connection is closed; longer than the
 *                         client's timeout, so that the client gives up first
 * @param retryAfter       the Retry-After of a 429 answer, in whole seconds
 */
public record SandboxSettings(Path keysDir, int port, long seed, FaultRates faults, double directAnswerRate,
                              Duration latency, Duration hangTime, Duration retryAfter) {

    public SandboxSettings {
        if (keysDir == null) {
            throw new ConfigException("sandbox keys directory: missing");
        }
        if (port < 0 || port > 65_535) {
            throw new ConfigException("sandbox port: " + port + " is not a port number (0 picks a free one)");
        }
        if (faults == null) {
            throw new ConfigException("sandbox fault rates: missing");
        }
        FaultRates.checkRate("dir-answer rate", directAnswerRate);
        nonNegative("latency", latency);
        nonNegative("hang time", hangTime);
        nonNegative("retry-after", retryAfter);
        if (retryAfter.getNano() != 0) {
            throw new ConfigException("sandbox retry-after: " + retryAfter + " is not whole seconds (Retry-After counts seconds)");
        }
    }

    /** No faults, no {@code dir} answers, on a free port: the sandbox as a well-behaved provider. */
    public static SandboxSettings wellBehaved(Path keysDir) {
        return new SandboxSettings(keysDir, 0, 0, FaultRates.NONE, 0, Duration.ofMillis(200), Duration.ofSeconds(15),
                Duration.ofSeconds(1));
    }

    public SandboxSettings withFaults(long newSeed, FaultRates newFaults) {
        return new SandboxSettings(keysDir, port, newSeed, newFaults, directAnswerRate, latency, hangTime, retryAfter);
    }

    public SandboxSettings withDirectAnswerRate(double rate) {
        return new SandboxSettings(keysDir, port, seed, faults, rate, latency, hangTime, retryAfter);
    }

    public SandboxSettings withTimes(Duration newLatency, Duration newHangTime, Duration newRetryAfter) {
        return new SandboxSettings(keysDir, port, seed, faults, directAnswerRate, newLatency, newHangTime, newRetryAfter);
    }

    public FaultPlan plan() {
        return new FaultPlan(seed, faults, directAnswerRate);
    }

    private static void nonNegative(String what, Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw new ConfigException("sandbox " + what + ": " + duration + " must be zero or more");
        }
    }
}
