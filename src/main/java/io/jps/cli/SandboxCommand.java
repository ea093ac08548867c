package io.jps.cli;

import io.jps.config.PipelineConfig;
import io.jps.sandbox.FaultPlan.RequestClass;
import io.jps.sandbox.FaultRates;
import io.jps.sandbox.ProviderSandbox;
import io.jps.sandbox.SandboxSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = {"Runs the provider sandbox until Ctrl-C: an HTTP server on --host (127.0.0.1 by default) that plays the",
                "server side of every provider profile with real crypto (decrypts and verifies requests, refuses them as the",
                "provider would, answers signed and encrypted), with reproducible fault injection.",
                "Each provider is served at http://<host>:<port>/<provider>: set providers.<provider>.baseUrl to it (with",
                "--host 0.0.0.0, put the name others reach this machine or container by in place of the host), and",
                "providers.<provider>.allowPlainHttp to true.",
                "A fault rate is the share of requests (idempotency keys) that meet the fault; the shares add up to 1 at",
                "most. The same --seed gives the same faults to the same requests, in any order.",
                "It reads the provider side of the keysets (--sandbox-keys, as `keys generate` writes it), not --keys."})
final class SandboxCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Mixin
    LogFormatOption logFormat;

    @Option(names = "--sandbox-keys", paramLabel = "DIR", defaultValue = "sandbox-keys",
            description = "the provider side of the keysets: <provider>/<account>/ (default: ${DEFAULT-VALUE})")
    Path sandboxKeys;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = SandboxSettings.LOOPBACK,
            description = {"address to listen on (default: ${DEFAULT-VALUE}, this machine only); 0.0.0.0 listens on every",
                    "interface, for a dispatcher in another container"})
    String host;

    @Option(names = "--port", defaultValue = "8070", description = "port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the fault plan (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--fault-down", paramLabel = "RATE", defaultValue = "0",
            description = "requests whose every attempt gets a 5xx: the dispatcher exhausts its retries")
    double down;

    @Option(names = "--fault-5xx", paramLabel = "RATE", defaultValue = "0",
            description = "requests whose first attempt gets a 5xx")
    double serverError;

    @Option(names = "--fault-429", paramLabel = "RATE", defaultValue = "0",
            description = "requests whose first attempt gets a 429 with Retry-After")
    double rateLimited;

    @Option(names = "--fault-hang", paramLabel = "RATE", defaultValue = "0",
            description = "requests whose first attempt is never answered (held for --hang-time, then closed)")
    double hang;

    @Option(names = "--fault-reset", paramLabel = "RATE", defaultValue = "0",
            description = "requests whose first attempt's connection is closed without an answer")
    double reset;

    @Option(names = "--fault-tamper", paramLabel = "RATE", defaultValue = "0",
            description = "requests answered with one ciphertext character changed")
    double tampered;

    @Option(names = "--fault-wrong-signer", paramLabel = "RATE", defaultValue = "0",
            description = "requests answered signed by a key that is not the provider's")
    double wrongSigner;

    @Option(names = "--fault-not-jose", paramLabel = "RATE", defaultValue = "0",
            description = "requests answered with an HTML page and status 200")
    double notJose;

    @Option(names = "--fault-latency", paramLabel = "RATE", defaultValue = "0",
            description = "answered attempts delayed by --latency")
    double latencyRate;

    @Option(names = "--latency", paramLabel = "DURATION", defaultValue = "PT0.2S",
            description = "delay of a delayed attempt, ISO-8601 (default: ${DEFAULT-VALUE})")
    Duration latency;

    @Option(names = "--hang-time", paramLabel = "DURATION", defaultValue = "PT15S",
            description = "how long a hung attempt is held; longer than the dispatcher's timeout (default: ${DEFAULT-VALUE})")
    Duration hangTime;

    @Option(names = "--retry-after", paramLabel = "SECONDS", defaultValue = "1",
            description = "Retry-After of a 429 answer (default: ${DEFAULT-VALUE})")
    long retryAfterSeconds;

    @Option(names = "--dir-answers", paramLabel = "RATE", defaultValue = "0",
            description = "requests answered with alg: dir under the request's content key, where the profile allows (Wise)")
    double directAnswerRate;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PipelineConfig config = common.loadConfig();
        SandboxSettings settings = settings();
        ProviderSandbox sandbox;
        try {
            sandbox = ProviderSandbox.start(config, settings, Clock.systemUTC());
        } catch (IOException e) {
            spec.commandLine().getErr().println("cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "jps-sandbox-stop"));
        out.println("provider sandbox on http://" + host + ":" + sandbox.port() + " (" + sandbox.plan() + ")");
        for (String provider : sandbox.providers()) {
            List<String> accounts = sandbox.accounts(provider);
            out.printf("  %-10s %-40s %s%n", provider, sandbox.baseUrl(provider),
                    accounts.isEmpty() ? "no keysets under " + sandboxKeys.resolve(provider) : "accounts: " + String.join(", ", accounts));
        }
        out.println("Set providers.<provider>.baseUrl to these (--config, or JPS_PROVIDERS_<PROVIDER>_BASE_URL), and");
        out.println("providers.<provider>.allowPlainHttp: true (JPS_PROVIDERS_<PROVIDER>_ALLOW_PLAIN_HTTP=true): the sandbox");
        out.println("speaks plain HTTP on loopback. Ctrl-C stops.");
        out.flush();
        stopped.await();
        return 0;
    }

    SandboxSettings settings() {
        FaultRates rates = new FaultRates(Map.of(
                RequestClass.DOWN, down,
                RequestClass.SERVER_ERROR_ONCE, serverError,
                RequestClass.RATE_LIMITED_ONCE, rateLimited,
                RequestClass.HANG_ONCE, hang,
                RequestClass.RESET_ONCE, reset,
                RequestClass.TAMPERED, tampered,
                RequestClass.WRONG_SIGNER, wrongSigner,
                RequestClass.NOT_JOSE, notJose), latencyRate);
        return new SandboxSettings(sandboxKeys, host, port, seed, rates, directAnswerRate, latency, hangTime,
                Duration.ofSeconds(retryAfterSeconds));
    }
}
