package io.jps.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.jps.engine.Engine;
import io.jps.observe.PipelineMetrics;
import io.jps.profile.ProviderProfile;
import io.jps.profile.ReasonCode;
import io.jps.record.SealedRequest;
import io.jps.support.Engines;
import io.jps.support.Requests;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One request's exchange with a misbehaving provider: what is retried, how long it waits, when it gives up. */
class ProviderCallTest {

    private final VirtualTime time = new VirtualTime();
    private final ScheduledExecutorService realTime = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private String circuit = "{failureRate: 50, minimumAttempts: 10, window: PT10S, openFor: PT5S}";
    private ScriptedProvider provider;
    private Engine engine;
    private ProviderCall call;

    @AfterEach
    void close() {
        time.shutdownNow();
        realTime.shutdownNow();
        if (provider != null) {
            provider.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void retriesServerErrorsWithTheSameIdempotencyKeyAndRecordsTheAnswer() throws Exception {
        CallOutcome outcome = call("wise", ScriptedProvider.Step.answer(503, "down"), ScriptedProvider.Step.answer(502, "down"),
                ScriptedProvider.Step.answer(200, "{\"done\":true}"));

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Answered.class, answered -> {
            assertThat(answered.response().httpStatus()).isEqualTo(200);
            assertThat(answered.response().attempts()).isEqualTo(3);
            assertThat(answered.response().body()).isEqualTo("{\"done\":true}");
        });
        List<ScriptedProvider.Received> received = provider.received();
        assertThat(received).hasSize(3);
        assertThat(received).extracting(r -> r.header("X-idempotence-uuid")).containsOnly(
                IdempotencyKeys.of("wise", "default", "r-call"));
        assertThat(received).allSatisfy(r -> assertThat(r.header("Authorization")).startsWith("Bearer "));
        assertThat(received).extracting(ScriptedProvider.Received::path).containsOnly("/v1/cases");
    }

    @Test
    void waitsAsLongAsRetryAfterSays() throws Exception {
        call("wise", ScriptedProvider.Step.retryAfter(7), ScriptedProvider.Step.answer(200, "{}"));

        assertThat(provider.received()).hasSize(2);
        assertThat(time.delays()).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void givesUpAtOnceWhenRetryAfterReachesPastTheTimeBudget() throws Exception {
        CallOutcome outcome = call("wise", ScriptedProvider.Step.retryAfter(3600));

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.GaveUp.class, gaveUp -> {
            assertThat(gaveUp.reason()).isEqualTo(ReasonCode.RETRIES_EXHAUSTED);
            assertThat(gaveUp.attempts()).isEqualTo(1);
        });
    }

    @Test
    void givesUpAfterTheLastAllowedAttempt() throws Exception {
        CallOutcome outcome = callAlways("wise", ScriptedProvider.Step.answer(503, "down"));

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.GaveUp.class, gaveUp -> {
            assertThat(gaveUp.reason()).isEqualTo(ReasonCode.RETRIES_EXHAUSTED);
            assertThat(gaveUp.attempts()).isEqualTo(4);
            assertThat(gaveUp.message()).contains("HTTP 503");
        });
        assertThat(provider.received()).hasSize(4);
    }

    @Test
    void retriesConnectionResetsAndTimeouts() throws Exception {
        CallOutcome outcome = call("wise", ScriptedProvider.Step.reset(), ScriptedProvider.Step.hang(2_000),
                ScriptedProvider.Step.answer(200, "{}"));

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Answered.class,
                answered -> assertThat(answered.response().attempts()).isEqualTo(3));
    }

    @Test
    void recordsAClientErrorAsItIsWithoutRetrying() throws Exception {
        CallOutcome outcome = call("socure", ScriptedProvider.Step.answer(400, "{\"error\":\"Payload decryption failed\"}"));

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Answered.class,
                answered -> assertThat(answered.response().httpStatus()).isEqualTo(400));
        assertThat(provider.received()).hasSize(1);
    }

    @Test
    void mintsAFreshPortOneTokenForEveryAttempt() throws Exception {
        call("portone", ScriptedProvider.Step.answer(503, "down"), ScriptedProvider.Step.answer(503, "down"),
                ScriptedProvider.Step.answer(200, "{}"));

        List<String> tokens = provider.received().stream().map(r -> r.header("Authorization").substring("Bearer ".length())).toList();
        assertThat(tokens).hasSize(3).doesNotHaveDuplicates();
        for (String token : tokens) {
            var claims = SignedJWT.parse(token).getJWTClaimsSet();
            assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(100_000L);
        }
        assertThat(provider.received()).allSatisfy(r -> assertThat(r.header("X-Portone-Client-Key")).isNotBlank());
    }

    @Test
    void givesUpAtOnceWithoutSendingWhenTheAccountHasNoCredentials() throws Exception {
        provider = new ScriptedProvider();
        engine = engineFor("wise");
        SealedRequest sealed = engine.sealer().seal(Requests.typical("wise", "default", "r-bad")).request();
        SealedRequest strangers = new SealedRequest(sealed.requestId(), sealed.provider(), "nobody", sealed.method(),
                sealed.path(), sealed.headers(), sealed.body(), sealed.sealedAt());

        CallOutcome outcome = send(strangers);

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.GaveUp.class, gaveUp -> {
            assertThat(gaveUp.reason()).isEqualTo(ReasonCode.UNKNOWN_ACCOUNT);
            assertThat(gaveUp.attempts()).isZero();
        });
        assertThat(provider.received()).isEmpty();
    }

    @Test
    void cutsOffAnAnswerThatTricklesInAndTriesAgain() throws Exception {
        CallOutcome outcome = callAlways("wise", ScriptedProvider.Step.trickle(1_000, 100));

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.GaveUp.class, gaveUp -> {
            assertThat(gaveUp.reason()).isEqualTo(ReasonCode.RETRIES_EXHAUSTED);
            assertThat(gaveUp.attempts()).isEqualTo(4);
            assertThat(gaveUp.message()).contains("HttpTimeoutException");
        });
        // the client closed the connections it gave up on: the server's writes fail instead of going on for 100 s
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> provider.cutOff() == 4);
    }

    @Test
    void waitsForAnOpenCircuitWithoutSpendingAttemptsAndGivesUpWhenTheBudgetIsSpent() throws Exception {
        circuit = "{failureRate: 50, minimumAttempts: 2, window: PT10S, openFor: PT30S}";
        CallOutcome first = callAlways("wise", ScriptedProvider.Step.answer(503, "down"));
        CallOutcome second = send(engine.sealer().seal(Requests.typical("wise", "default", "r-after")).request());

        assertThat(first).isInstanceOfSatisfying(CallOutcome.GaveUp.class, gaveUp -> {
            assertThat(gaveUp.reason()).isEqualTo(ReasonCode.RETRIES_EXHAUSTED);
            assertThat(gaveUp.attempts()).as("the two that opened the circuit").isEqualTo(2);
            assertThat(gaveUp.message()).contains("circuit stayed open");
        });
        assertThat(second).isInstanceOfSatisfying(CallOutcome.GaveUp.class,
                gaveUp -> assertThat(gaveUp.attempts()).as("nothing sent while the circuit is open").isZero());
        assertThat(provider.received()).hasSize(2);
        assertThat(registry.get("jps.provider.circuit.state").tag("provider", "wise").gauge().value()).isEqualTo(2.0);
        assertThat(transitions("closed", "open")).isEqualTo(1);
    }

    @Test
    void aFailedProbeCostsItsRequestNoAttemptAndASuccessfulOneClosesTheCircuit() throws Exception {
        circuit = "{failureRate: 50, minimumAttempts: 2, window: PT10S, openFor: PT0.3S}";
        provider = new ScriptedProvider().then(ScriptedProvider.Step.answer(503, "down"), ScriptedProvider.Step.answer(503, "down"),
                ScriptedProvider.Step.answer(503, "still down"), ScriptedProvider.Step.answer(200, "{\"back\":true}"));
        engine = engineFor("wise", "maxAttempts: 3, maxTotalTime: PT60S");
        call = providerCall(realTime, System::nanoTime);

        CallOutcome outcome = send(engine.sealer().seal(Requests.typical("wise", "default", "r-probe")).request());

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Answered.class, answered -> {
            assertThat(answered.response().httpStatus()).isEqualTo(200);
            assertThat(answered.response().attempts()).as("three charged and one failed probe").isEqualTo(4);
        });
        assertThat(transitions("closed", "open")).isEqualTo(1);
        assertThat(transitions("half_open", "open")).isEqualTo(1);
        assertThat(transitions("half_open", "closed")).isEqualTo(1);
        assertThat(registry.get("jps.provider.circuit.state").tag("provider", "wise").gauge().value()).isZero();
    }

    @Test
    void refusesToBufferAnAnswerLargerThanTheOpenStageWouldAccept() throws Exception {
        CallOutcome outcome = call("wise", ScriptedProvider.Step.answer(200, "x".repeat(5_000)));

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.GaveUp.class,
                gaveUp -> assertThat(gaveUp.reason()).isEqualTo(ReasonCode.OVERSIZED));
    }

    @Test
    void reachesTheProviderThroughItsProxy() throws Exception {
        provider = new ScriptedProvider();
        engine = Engines.engine(Engines.config("providers:\n  wise:\n    baseUrl: http://wise.provider.invalid/gateway\n"
                + "    allowPlainHttp: true\n    proxy: 127.0.0.1:" + provider.port() + "\n"), new TickingClock());

        CallOutcome outcome = send(engine.sealer().seal(Requests.typical("wise", "default", "r-proxy")).request());

        assertThat(outcome).isInstanceOf(CallOutcome.Answered.class);
        // a proxy is asked for the whole URL; the provider's host is never looked up here
        assertThat(provider.received()).extracting(ScriptedProvider.Received::target)
                .containsExactly("http://wise.provider.invalid/gateway/v1/cases");
    }

    @Test
    void countsAttemptsByStatusClass() throws Exception {
        call("wise", ScriptedProvider.Step.answer(503, "down"), ScriptedProvider.Step.answer(200, "{}"));

        assertThat(registry.get("jps.dispatch.attempts").tag("status_class", "5xx").counter().count()).isEqualTo(1);
        assertThat(registry.get("jps.dispatch.attempts").tag("status_class", "2xx").counter().count()).isEqualTo(1);
    }

    private CallOutcome call(String name, ScriptedProvider.Step... steps) throws Exception {
        provider = new ScriptedProvider().then(steps);
        return sendTypical(name);
    }

    private CallOutcome callAlways(String name, ScriptedProvider.Step step) throws Exception {
        provider = new ScriptedProvider().otherwise(step);
        return sendTypical(name);
    }

    private CallOutcome sendTypical(String name) throws Exception {
        engine = engineFor(name);
        return send(engine.sealer().seal(Requests.typical(name, "default", "r-call")).request());
    }

    /** Through one ProviderCall per test (in virtual time unless the test made another), so its circuits persist. */
    private CallOutcome send(SealedRequest request) throws Exception {
        if (call == null) {
            call = providerCall(time, time::nanoTime);
        }
        ProviderProfile profile = engine.config().providers().get(request.provider());
        return call.send(request, profile, RequestGuard.allow(request, profile)).get(60, TimeUnit.SECONDS);
    }

    private ProviderCall providerCall(ScheduledExecutorService scheduler, LongSupplier ticker) {
        PipelineMetrics metrics = new PipelineMetrics(registry, engine.config().providers().keySet());
        return new ProviderCall(ProviderHttpClients.create(engine.config().providers(), Duration.ofSeconds(2)),
                new ProviderCircuits(engine.config().providers(), metrics), engine.credentials(), scheduler, engine.clock(),
                ticker, 4096, metrics);
    }

    private double transitions(String from, String to) {
        var counter = registry.find("jps.provider.circuit.transitions").tag("provider", "wise").tag("from", from).tag("to", to)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private Engine engineFor(String name) {
        return engineFor(name, "maxAttempts: 4, maxTotalTime: PT10S");
    }

    private Engine engineFor(String name, String budget) {
        String overlay = "providers:\n  " + name + ":\n    baseUrl: " + provider.baseUrl() + "\n    allowPlainHttp: true\n"
                + "    dispatch: {" + budget + ", timeout: PT0.5S, initialBackoff: PT0.05S, maxBackoff: PT0.2S, rateLimit: 0, "
                + "circuitBreaker: " + circuit + "}\n";
        return Engines.engine(Engines.config(overlay), new TickingClock());
    }

    /** Every reading one second later than the last: each attempt's token gets its own iat. */
    private static final class TickingClock extends Clock {
        private final AtomicLong seconds = new AtomicLong(Instant.now().getEpochSecond());

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(seconds.getAndIncrement());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
