package io.jps.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.jps.dispatch.IdempotencyKeys;
import io.jps.engine.Engine;
import io.jps.open.OpenFailure;
import io.jps.profile.ReasonCode;
import io.jps.record.Json;
import io.jps.record.PaymentResult;
import io.jps.sandbox.FaultPlan.Decision;
import io.jps.sandbox.FaultPlan.Fault;
import io.jps.sandbox.FaultPlan.RequestClass;
import io.jps.seal.Sealed;
import io.jps.support.Engines;
import io.jps.support.Requests;
import io.jps.support.TestKeys;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Faults over real HTTP: each one as the plan says, on the attempts it says, at the rate it says. */
class SandboxFaultsTest {

    private static final long SEED = 2024;
    private static final FaultRates RATES = FaultRates.NONE
            .with(RequestClass.DOWN, 0.1)
            .with(RequestClass.SERVER_ERROR_ONCE, 0.1)
            .with(RequestClass.RATE_LIMITED_ONCE, 0.1)
            .with(RequestClass.HANG_ONCE, 0.1)
            .with(RequestClass.RESET_ONCE, 0.1)
            .with(RequestClass.TAMPERED, 0.1)
            .with(RequestClass.WRONG_SIGNER, 0.1)
            .with(RequestClass.NOT_JOSE, 0.1)
            .withLatency(0.2);
    private static final Duration LATENCY = Duration.ofMillis(150);
    private static final Duration HANG = Duration.ofMillis(300);

    private static Engine engine;
    private static ProviderSandbox sandbox;
    private static SandboxCalls calls;

    @BeforeAll
    static void start() throws Exception {
        engine = Engines.engine();
        SandboxSettings settings = SandboxSettings.wellBehaved(TestKeys.sandboxKeys()).withFaults(SEED, RATES)
                .withDirectAnswerRate(0.5).withTimes(LATENCY, HANG, Duration.ofSeconds(1));
        sandbox = ProviderSandbox.start(engine.config(), settings, Clock.systemUTC());
        calls = new SandboxCalls(engine, sandbox);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        engine.close();
    }

    @Test
    void aDownRequestGetsA5xxOnEveryAttempt() throws Exception {
        Sealed sealed = sealedIn("juspay", RequestClass.DOWN);

        for (int attempt = 1; attempt <= 3; attempt++) {
            HttpResponse<String> answer = calls.send(sealed);
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(Json.parseTree(answer.body()).get("error_code").asText()).isEqualTo("service_unavailable");
        }
        assertThat(sandbox.attempts(calls.idempotencyKey(sealed.request()))).extracting(Attempt::number, Attempt::httpStatus)
                .containsExactly(tuple(1, 503), tuple(2, 503), tuple(3, 503));
    }

    @Test
    void socureFailsWithTheServerErrorItsDocumentationShows() throws Exception {
        HttpResponse<String> answer = calls.send(sealedIn("socure", RequestClass.DOWN));

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(Json.parseTree(answer.body()).get("error").asText()).isEqualTo(ProviderDialect.SOCURE_SERVER_ERROR);
    }

    @Test
    void aServerErrorOnceIsFollowedByAGenuineAnswer() throws Exception {
        Sealed sealed = sealedIn("juspay", RequestClass.SERVER_ERROR_ONCE);

        assertThat(calls.send(sealed).statusCode()).isEqualTo(503);
        assertOpens(sealed, calls.send(sealed));
    }

    @Test
    void aRateLimitedRequestGets429WithRetryAfterThenAGenuineAnswer() throws Exception {
        Sealed sealed = sealedIn("wise", RequestClass.RATE_LIMITED_ONCE);

        HttpResponse<String> limited = calls.send(sealed);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(Json.parseTree(limited.body()).get("errors").get(0).get("code").asText()).isEqualTo("too_many_requests");
        assertOpens(sealed, calls.send(sealed));
    }

    @Test
    void aHungAttemptOutlastsTheClientsTimeoutThenTheNextIsAnswered() throws Exception {
        Sealed sealed = sealedIn("juspay", RequestClass.HANG_ONCE);

        assertThatThrownBy(() -> calls.send(sealed.request(), calls.headers(sealed.request()), Duration.ofMillis(100)))
                .isInstanceOf(HttpTimeoutException.class);
        assertOpens(sealed, calls.send(sealed));
        assertThat(sandbox.attempts(calls.idempotencyKey(sealed.request())).get(0)).satisfies(attempt -> {
            assertThat(attempt.httpStatus()).isZero();
            assertThat(attempt.faults()).containsExactly(Fault.HANG);
        });
    }

    @Test
    void aResetAttemptLosesItsConnectionThenTheNextIsAnswered() throws Exception {
        Sealed sealed = sealedIn("socure", RequestClass.RESET_ONCE);

        assertThatThrownBy(() -> calls.send(sealed)).isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);
        assertOpens(sealed, calls.send(sealed));
    }

    @Test
    void aTamperedAnswerFailsToDecryptOnEveryAttempt() throws Exception {
        for (String provider : List.of("juspay", "wise", "socure")) {
            Sealed sealed = sealedIn(provider, RequestClass.TAMPERED);
            for (int attempt = 1; attempt <= 2; attempt++) {
                assertRefusedOnOurSide(sealed, calls.send(sealed), ReasonCode.DECRYPT_FAILED);
            }
        }
    }

    @Test
    void aForgedAnswerDecryptsButFailsItsSignature() throws Exception {
        for (String provider : List.of("juspay", "socure")) {
            Sealed sealed = sealedIn(provider, RequestClass.WRONG_SIGNER);
            assertRefusedOnOurSide(sealed, calls.send(sealed), ReasonCode.BAD_SIGNATURE);
        }
    }

    @Test
    void aNotJoseAnswerIsAnHtmlPageWithStatus200() throws Exception {
        for (String provider : List.of("juspay", "wise", "socure", "portone")) {
            Sealed sealed = sealedIn(provider, RequestClass.NOT_JOSE);
            HttpResponse<String> answer = calls.send(sealed);

            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
            assertRefusedOnOurSide(sealed, answer, ReasonCode.MALFORMED);
        }
    }

    @Test
    void leavesPlainAnswersUntamperedAndUnsignedAnswersUnforged() throws Exception {
        Sealed portone = sealedIn("portone", RequestClass.TAMPERED);
        Sealed wise = sealedIn("wise", RequestClass.WRONG_SIGNER);

        assertOpens(portone, calls.send(portone));
        assertOpens(wise, calls.send(wise));
        assertThat(sandbox.attempts(calls.idempotencyKey(portone.request())).get(0).faults()).isEmpty();
        assertThat(sandbox.attempts(calls.idempotencyKey(wise.request())).get(0).faults()).isEmpty();
    }

    @Test
    void delaysAnAttemptWhenThePlanSaysAndItsAnswerStillOpens() throws Exception {
        Sealed sealed = sealedIn("juspay", RequestClass.CLEAN, decision -> decision.has(Fault.LATENCY));

        HttpResponse<String> answer = calls.send(sealed);

        // the sandbox's own record of the attempt: its answer went through the timer of the configured latency
        assertThat(sandbox.attempts(calls.idempotencyKey(sealed.request())).get(0).faults()).containsExactly(Fault.LATENCY);
        assertOpens(sealed, answer);
    }

    @Test
    void answersWiseWithDirectEncryptionWhenThePlanSays() throws Exception {
        Sealed sealed = sealedIn("wise", RequestClass.CLEAN, Decision::directAnswer);

        HttpResponse<String> answer = calls.send(sealed);

        JsonNode header = ProviderSandboxTest.decodedHeader(answer.body().substring(0, answer.body().indexOf('.')));
        assertThat(header.get("alg").asText()).isEqualTo("dir");
        assertOpens(sealed, answer);
        assertThat(sandbox.attempts(calls.idempotencyKey(sealed.request())).get(0).directAnswer()).isTrue();
    }

    /**
     * Through a client that retries 5xx, 429, timeouts and lost connections (3 attempts), every request ends as its
     * class says, and the sandbox counts exactly the faults the plan predicts.
     */
    @Test
    void everyRequestEndsAsItsClassPredictsAndEveryFaultIsCounted() throws Exception {
        FaultPlan plan = sandbox.plan();
        ProviderStats before = sandbox.stats("juspay");
        List<Sealed> batch = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            batch.add(calls.seal(Requests.typical("juspay", "default", "r-batch-" + i)));
        }

        List<Ending> endings = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<Ending>> futures = new ArrayList<>();
            for (Sealed sealed : batch) {
                futures.add(clients.submit(() -> sendWithRetries(sealed, 3)));
            }
            for (Future<Ending> future : futures) {
                endings.add(future.get());
            }
        } finally {
            clients.shutdownNow();
        }

        Map<RequestClass, Integer> classes = new EnumMap<>(RequestClass.class);
        Map<Fault, Long> expectedFaults = new EnumMap<>(Fault.class);
        for (Ending ending : endings) {
            RequestClass requestClass = plan.classify(ending.key());
            classes.merge(requestClass, 1, Integer::sum);
            assertThat(ending.outcome()).as(ending.key() + " in " + requestClass).isEqualTo(predictedOutcome(requestClass));
            assertThat(ending.attempts()).as(ending.key() + " in " + requestClass).isEqualTo(predictedAttempts(requestClass));
            for (int attempt = 1; attempt <= ending.attempts(); attempt++) {
                Set<Fault> faults = EnumSet.noneOf(Fault.class);
                faults.addAll(plan.decide(ending.key(), attempt).faults());
                if (faults.contains(Fault.HANG) || faults.contains(Fault.CONNECTION_RESET)) {
                    faults.remove(Fault.LATENCY);
                }
                faults.forEach(fault -> expectedFaults.merge(fault, 1L, Long::sum));
            }
        }
        // Fixed seed, fixed request ids: the same split on every run.
        assertThat(classes).isEqualTo(Map.of(RequestClass.DOWN, 7, RequestClass.SERVER_ERROR_ONCE, 10,
                RequestClass.RATE_LIMITED_ONCE, 8, RequestClass.HANG_ONCE, 7, RequestClass.RESET_ONCE, 3, RequestClass.TAMPERED, 11,
                RequestClass.WRONG_SIGNER, 7, RequestClass.NOT_JOSE, 12, RequestClass.CLEAN, 15));
        ProviderStats after = sandbox.stats("juspay");
        for (Fault fault : Fault.values()) {
            assertThat(after.faults(fault) - before.faults(fault)).as(fault.name()).isEqualTo(expectedFaults.getOrDefault(fault, 0L));
        }
        assertThat(after.received() - before.received()).isEqualTo(endings.stream().mapToInt(Ending::attempts).sum());
    }

    private record Ending(String key, String outcome, int attempts) {
    }

    private static Ending sendWithRetries(Sealed sealed, int maxAttempts) throws Exception {
        String key = calls.idempotencyKey(sealed.request());
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> answer;
            try {
                answer = calls.send(sealed);
            } catch (IOException e) {
                if (attempt == maxAttempts) {
                    return new Ending(key, "RETRIES_EXHAUSTED", attempt);
                }
                continue;
            }
            if (answer.statusCode() >= 500 || answer.statusCode() == 429) {
                if (attempt == maxAttempts) {
                    return new Ending(key, "RETRIES_EXHAUSTED", attempt);
                }
                continue;
            }
            try {
                return new Ending(key, calls.open(sealed, answer).outcome().name(), attempt);
            } catch (OpenFailure failure) {
                return new Ending(key, failure.reason().name(), attempt);
            }
        }
    }

    private static String predictedOutcome(RequestClass requestClass) {
        return switch (requestClass) {
            case DOWN -> "RETRIES_EXHAUSTED";
            case TAMPERED -> "DECRYPT_FAILED";
            case WRONG_SIGNER -> "BAD_SIGNATURE";
            case NOT_JOSE -> "MALFORMED";
            case SERVER_ERROR_ONCE, RATE_LIMITED_ONCE, HANG_ONCE, RESET_ONCE, CLEAN -> "SUCCEEDED";
        };
    }

    private static int predictedAttempts(RequestClass requestClass) {
        return requestClass == RequestClass.DOWN ? 3 : requestClass.fault() != null && !requestClass.everyAttempt() ? 2 : 1;
    }

    private static Sealed sealedIn(String provider, RequestClass requestClass) throws Exception {
        return sealedIn(provider, requestClass, decision -> !decision.has(Fault.LATENCY));
    }

    /** A genuine request of the default account whose first attempt the plan decides so. */
    private static Sealed sealedIn(String provider, RequestClass requestClass, Predicate<Decision> firstAttempt) throws Exception {
        String requestId = IntStream.range(0, 10_000).mapToObj(i -> "r-" + provider + "-" + requestClass + "-" + i)
                .filter(id -> {
                    Decision decision = sandbox.plan().decide(IdempotencyKeys.of(provider, "default", id), 1);
                    return decision.requestClass() == requestClass && firstAttempt.test(decision);
                })
                .findFirst().orElseThrow();
        return calls.seal(Requests.typical(provider, "default", requestId));
    }

    private static void assertOpens(Sealed sealed, HttpResponse<String> answer) throws OpenFailure {
        assertThat(answer.statusCode()).isEqualTo(200);
        PaymentResult result = calls.open(sealed, answer);
        assertThat(result.outcome()).isEqualTo(PaymentResult.Outcome.SUCCEEDED);
        assertThat(result.payload().get("idempotencyKey").asText()).isEqualTo(calls.idempotencyKey(sealed.request()));
    }

    private static void assertRefusedOnOurSide(Sealed sealed, HttpResponse<String> answer, ReasonCode reason) {
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> calls.open(sealed, answer)).isInstanceOf(OpenFailure.class)
                .satisfies(failure -> assertThat(((OpenFailure) failure).reason()).isEqualTo(reason));
    }
}
