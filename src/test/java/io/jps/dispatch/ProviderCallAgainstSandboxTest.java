package io.jps.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.config.ConfigLoader;
import io.jps.engine.Engine;
import io.jps.observe.PipelineMetrics;
import io.jps.record.PaymentResult;
import io.jps.sandbox.Attempt;
import io.jps.sandbox.FaultPlan.RequestClass;
import io.jps.sandbox.FaultRates;
import io.jps.sandbox.ProviderSandbox;
import io.jps.sandbox.SandboxSettings;
import io.jps.seal.Sealed;
import io.jps.support.Engines;
import io.jps.support.Requests;
import io.jps.support.TestKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One call to the sandbox playing each provider for real: the sandbox checks credentials and crypto on every attempt. */
class ProviderCallAgainstSandboxTest {

    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor();
    private static ProviderSandbox sandbox;
    private static Engine engine;

    @BeforeAll
    static void start() throws Exception {
        sandbox = ProviderSandbox.start(ConfigLoader.defaults(), SandboxSettings.wellBehaved(TestKeys.sandboxKeys())
                .withFaults(11, FaultRates.NONE.with(RequestClass.SERVER_ERROR_ONCE, 0.5).with(RequestClass.RATE_LIMITED_ONCE, 0.5)),
                Clock.systemUTC());
        StringBuilder overlay = new StringBuilder("providers:\n");
        for (String provider : List.of("juspay", "wise", "socure", "portone")) {
            overlay.append("  ").append(provider).append(":\n    baseUrl: ").append(sandbox.baseUrl(provider)).append('\n')
                    .append("    dispatch: {initialBackoff: PT0.05S, maxBackoff: PT0.1S}\n");
        }
        engine = Engines.engine(Engines.config(overlay.toString()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        SCHEDULER.shutdownNow();
        sandbox.close();
        engine.close();
    }

    @Test
    void everyProviderAcceptsOurRequestOnTheSecondAttemptAndItsAnswerOpens() throws Exception {
        for (String provider : List.of("juspay", "wise", "socure", "portone")) {
            Sealed sealed = engine.sealer().seal(Requests.typical(provider, "default", "sandbox-call-" + provider));

            CallOutcome outcome = call().send(sealed.request(), engine.config().providers().get(provider), null).get(30, TimeUnit.SECONDS);

            assertThat(outcome).as(provider).isInstanceOfSatisfying(CallOutcome.Answered.class, answered -> {
                assertThat(answered.response().attempts()).isEqualTo(2);
                try {
                    PaymentResult result = engine.opener().open(answered.response(), sealed.sent());
                    assertThat(result.outcome()).isEqualTo(PaymentResult.Outcome.SUCCEEDED);
                    assertThat(result.payload().get("echo")).isEqualTo(Requests.typical(provider, "default", sealed.request().requestId()).payload());
                } catch (Exception e) {
                    throw new AssertionError(provider + ": " + e, e);
                }
            });
            List<Attempt> attempts = sandbox.attempts(IdempotencyKeys.of(provider, "default", sealed.request().requestId()));
            assertThat(attempts).as(provider).hasSize(2).allSatisfy(attempt -> assertThat(attempt.refusal()).isNull());
            if (provider.equals("portone")) {
                assertThat(attempts.get(0).tokenFingerprint()).isNotEqualTo(attempts.get(1).tokenFingerprint());
            }
        }
    }

    private static ProviderCall call() {
        return new ProviderCall(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build(),
                engine.credentials(), SCHEDULER, engine.clock(), 1 << 20,
                new PipelineMetrics(new SimpleMeterRegistry(), engine.config().providers().keySet()));
    }
}
