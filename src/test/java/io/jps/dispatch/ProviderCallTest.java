package io.jps.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.jps.engine.Engine;
import io.jps.observe.PipelineMetrics;
import io.jps.profile.ReasonCode;
import io.jps.record.SealedRequest;
import io.jps.support.Engines;
import io.jps.support.Requests;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One request's exchange with a misbehaving provider: what is retried, how long it waits, when it gives up. */
class ProviderCallTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private ScriptedProvider provider;
    private Engine engine;

    @AfterEach
    void close() {
        scheduler.shutdownNow();
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
        call("wise", ScriptedProvider.Step.retryAfter(1), ScriptedProvider.Step.answer(200, "{}"));

        List<ScriptedProvider.Received> received = provider.received();
        assertThat(received).hasSize(2);
        assertThat(received.get(1).atNanos() - received.get(0).atNanos()).isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
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
    void doesNotRetryWhatCannotSucceedAndSaysWhy() throws Exception {
        provider = new ScriptedProvider();
        engine = engineFor("wise");
        SealedRequest sealed = engine.sealer().seal(Requests.typical("wise", "default", "r-bad")).request();
        SealedRequest unsendable = new SealedRequest(sealed.requestId(), sealed.provider(), sealed.account(), sealed.method(),
                sealed.path(), Map.of("X-Broken", "line\nbreak"), sealed.body(), sealed.sealedAt());

        CallOutcome outcome = providerCall().send(unsendable, engine.config().providers().get("wise"), null).get(20, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.GaveUp.class,
                gaveUp -> assertThat(gaveUp.reason()).isEqualTo(ReasonCode.TRANSPORT_FAILED));
        assertThat(provider.received()).isEmpty();
    }

    @Test
    void refusesToBufferAnAnswerLargerThanTheOpenStageWouldAccept() throws Exception {
        CallOutcome outcome = call("wise", ScriptedProvider.Step.answer(200, "x".repeat(5_000)));

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.GaveUp.class,
                gaveUp -> assertThat(gaveUp.reason()).isEqualTo(ReasonCode.OVERSIZED));
    }

    @Test
    void countsAttemptsByStatusClass() throws Exception {
        call("wise", ScriptedProvider.Step.answer(503, "down"), ScriptedProvider.Step.answer(200, "{}"));

        assertThat(registry.get("jps.dispatch.attempts").tag("status_class", "5xx").counter().count()).isEqualTo(1);
        assertThat(registry.get("jps.dispatch.attempts").tag("status_class", "2xx").counter().count()).isEqualTo(1);
    }

    private CallOutcome call(String name, ScriptedProvider.Step... steps) throws Exception {
        provider = new ScriptedProvider().then(steps);
        return send(name);
    }

    private CallOutcome callAlways(String name, ScriptedProvider.Step step) throws Exception {
        provider = new ScriptedProvider().otherwise(step);
        return send(name);
    }

    private CallOutcome send(String name) throws Exception {
        engine = engineFor(name);
        SealedRequest sealed = engine.sealer().seal(Requests.typical(name, "default", "r-call")).request();
        return providerCall().send(sealed, engine.config().providers().get(name), null).get(30, TimeUnit.SECONDS);
    }

    private ProviderCall providerCall() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        return new ProviderCall(client, engine.credentials(), scheduler, engine.clock(), 4096,
                new PipelineMetrics(registry, engine.config().providers().keySet()));
    }

    private Engine engineFor(String name) {
        String overlay = "providers:\n  " + name + ":\n    baseUrl: " + provider.baseUrl() + "\n"
                + "    dispatch: {maxAttempts: 4, timeout: PT0.5S, maxTotalTime: PT10S, initialBackoff: PT0.05S, maxBackoff: PT0.2S}\n";
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
