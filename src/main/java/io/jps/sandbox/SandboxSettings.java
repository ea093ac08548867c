package io.jps.sandbox;

import io.jps.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the sandbox runs: where the provider's keysets are, where it listens, and which faults it injects.
 *
 * @param keysDir          the provider side of every keyset: {@code <provider>/<account>/provider-private.pem},
 *                         {@code merchant-public.pem}, {@code secrets.properties}
 * @param host             the address to listen on: loopback unless the sandbox must be reached from elsewhere
 *                         (another container: {@code 0.0.0.0})
 * @param port             the port to listen on; 0 picks a free one
 * @param seed             the seed of the {@link FaultPlan}: the same seed, the same faults for the same requests
 * @param faults           how often each fault happens
 * @param directAnswerRate the share of requests answered with {@code alg: dir} where the profile allows it (Wise)
 * @param latency          the delay added to an attempt that meets LATENCY
 * @param hangTime         how long a hung attempt is held before its connection is closed; longer than the
 *                         client's timeout, so that the client gives up first
 * @param retryAfter       the Retry-After of a 429 answer, in whole seconds
 */
public record SandboxSettings(Path keysDir, String host, int port, long seed, FaultRates faults, double directAnswerRate,
                              Duration latency, Duration hangTime, Duration retryAfter) {

    /** Where the sandbox listens unless told otherwise: a provider stand-in is nobody else's business. */
    public static final String LOOPBACK = "127.0.0.1";

    public SandboxSettings {
        if (keysDir == null) {
            throw new ConfigException("sandbox keys directory: missing");
        }
        if (host == null || host.isBlank()) {
            throw new ConfigException("sandbox host: missing (" + LOOPBACK + " listens on loopback only, 0.0.0.0 on every interface)");
        }
        if (host.contains(":")) {
            // the host goes into the base URLs the sandbox prints as it is, where an IPv6 literal would need brackets
            throw new ConfigException("sandbox host: " + host + " is not an IPv4 address or a host name");
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
        return new SandboxSettings(keysDir, LOOPBACK, 0, 0, FaultRates.NONE, 0, Duration.ofMillis(200), Duration.ofSeconds(15),
                Duration.ofSeconds(1));
    }

    public SandboxSettings withHost(String newHost) {
        return new SandboxSettings(keysDir, newHost, port, seed, faults, directAnswerRate, latency, hangTime, retryAfter);
    }

    public SandboxSettings withFaults(long newSeed, FaultRates newFaults) {
        return new SandboxSettings(keysDir, host, port, newSeed, newFaults, directAnswerRate, latency, hangTime, retryAfter);
    }

    public SandboxSettings withDirectAnswerRate(double rate) {
        return new SandboxSettings(keysDir, host, port, seed, faults, rate, latency, hangTime, retryAfter);
    }

    public SandboxSettings withTimes(Duration newLatency, Duration newHangTime, Duration newRetryAfter) {
        return new SandboxSettings(keysDir, host, port, seed, faults, directAnswerRate, newLatency, newHangTime, newRetryAfter);
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
