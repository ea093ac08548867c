package io.jps.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.jps.engine.Engine;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.PaymentResult;
import io.jps.seal.Sealed;
import io.jps.support.Engines;
import io.jps.support.MutableClock;
import io.jps.support.Requests;
import io.jps.support.TestKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A well-behaved sandbox: genuine requests of every provider are accepted, and their answers open on our side. */
class ProviderSandboxTest {

    private static Engine engine;
    private static ProviderSandbox sandbox;
    private static SandboxCalls calls;

    @BeforeAll
    static void start() throws Exception {
        engine = Engines.engine();
        sandbox = ProviderSandbox.start(engine.config(), SandboxSettings.wellBehaved(TestKeys.sandboxKeys()), Clock.systemUTC());
        calls = new SandboxCalls(engine, sandbox);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        engine.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure", "portone"})
    void acceptsEveryProvidersGenuineRequestAndItsAnswerOpensAndEchoesThePayload(String provider) throws Exception {
        PaymentRequest request = Requests.typical(provider, "default", "r-genuine-" + provider);
        Sealed sealed = calls.seal(request);

        HttpResponse<String> answer = calls.send(sealed);
        PaymentResult result = calls.open(sealed, answer);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(result.outcome()).isEqualTo(PaymentResult.Outcome.SUCCEEDED);
        assertThat(result.payload().get("status").asText()).isEqualTo("SUCCESS");
        assertThat(result.payload().get("echo")).isEqualTo(request.payload());
        assertThat(result.payload().get("method").asText()).isEqualTo(sealed.request().method());
        assertThat(result.payload().get("path").asText()).isEqualTo(sealed.request().path());
        assertThat(result.payload().get("idempotencyKey").asText()).isEqualTo(calls.idempotencyKey(sealed.request()));
        boolean signed = engine.config().providers().get(provider).open().verifies();
        assertThat(result.verifiedKid() != null).isEqualTo(signed);
        assertThat(sandbox.attempts(calls.idempotencyKey(sealed.request())))
                .singleElement().satisfies(attempt -> {
                    assertThat(attempt.number()).isEqualTo(1);
                    assertThat(attempt.account()).isEqualTo("default");
                    assertThat(attempt.httpStatus()).isEqualTo(200);
                    assertThat(attempt.refusal()).isNull();
                    assertThat(attempt.faults()).isEmpty();
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure", "portone"})
    void tellsAccountsApartByTheirCredentials(String provider) throws Exception {
        Sealed sealed = calls.seal(Requests.typical(provider, "acme", "r-acme-" + provider));

        HttpResponse<String> answer = calls.send(sealed);

        assertThat(calls.open(sealed, answer).outcome()).isEqualTo(PaymentResult.Outcome.SUCCEEDED);
        assertThat(sandbox.attempts(calls.idempotencyKey(sealed.request()))).singleElement()
                .extracting(Attempt::account).isEqualTo("acme");
        assertThat(sandbox.accounts(provider)).containsExactly("acme", "default");
    }

    @Test
    void servesEachProviderUnderItsOwnBaseUrl() {
        assertThat(sandbox.baseUrl("juspay").toString()).isEqualTo("http://127.0.0.1:" + sandbox.port() + "/juspay");
        assertThat(sandbox.providers()).containsExactly("juspay", "portone", "socure", "wise");
    }

    @Test
    void juspayAnswersInFiveFieldsWithIatAndKidInTheJweHeader() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("juspay", "default", "r-juspay-shape"));

        HttpResponse<String> answer = calls.send(sealed);

        JsonNode body = Json.parseTree(answer.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("header", "encryptedKey", "iv", "encryptedPayload", "tag");
        JsonNode header = decodedHeader(body.get("header").asText());
        assertThat(header.get("iat").asLong()).isCloseTo(Instant.now().getEpochSecond(), within(60L));
        assertThat(header.get("kid").asText()).isNotBlank();
        assertThat(header.get("cty").asText()).isEqualTo("JWT");
    }

    @Test
    void wiseAnswersWithCompactJoseNamingOurKey() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("wise", "default", "r-wise-shape"));

        HttpResponse<String> answer = calls.send(sealed);

        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/jose+json");
        JsonNode header = decodedHeader(answer.body().substring(0, answer.body().indexOf('.')));
        assertThat(header.get("alg").asText()).isEqualTo("RSA-OAEP-256");
        String ourKid = engine.keyRing().lookup("wise", "default").found().orElseThrow().ownKid(Instant.now()).orElseThrow();
        assertThat(header.get("kid").asText()).isEqualTo(ourKid);
    }

    @Test
    void socureAnswersWithAnEvalIdBesideTheEncryptedResponse() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("socure", "default", "r-socure-shape"));

        HttpResponse<String> answer = calls.send(sealed);

        JsonNode body = Json.parseTree(answer.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("eval_id", "encrypted_response");
        assertThat(body.get("eval_id").asText()).matches("[0-9a-f-]{36}");
    }

    @Test
    void answersABodylessWiseGetWithAnEncryptedAnswer() throws Exception {
        PaymentRequest request = new PaymentRequest("r-wise-get", "wise", "default", "case-status", null, null, null,
                Requests.json("{\"caseId\":\"123456789\"}"));
        Sealed sealed = calls.seal(request);

        HttpResponse<String> answer = calls.send(sealed);
        PaymentResult result = calls.open(sealed, answer);

        assertThat(sealed.request().body()).isNull();
        assertThat(decodedHeader(answer.body().substring(0, answer.body().indexOf('.'))).get("alg").asText()).isEqualTo("RSA-OAEP-256");
        assertThat(result.payload().get("echo").isNull()).isTrue();
        assertThat(result.payload().get("path").asText()).isEqualTo("/v1/cases/123456789");
    }

    @Test
    void answersAPortOneGetInPlainJson() throws Exception {
        PaymentRequest request = new PaymentRequest("r-portone-get", "portone", "default", "transaction-status", null, null, null,
                Requests.json("{\"merchant_order_ref\":\"MERCHANT1647433108462\"}"));
        Sealed sealed = calls.seal(request);

        HttpResponse<String> answer = calls.send(sealed);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(Json.parseTree(answer.body()).get("path").asText()).isEqualTo("/api/transaction/MERCHANT1647433108462/status");
    }

    @Test
    void recordsAFingerprintOfEachPortOneTokenSoThatAFreshOneCanBeToldFromAReusedOne() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (Engine minting = Engines.engine(engine.config(), clock)) {
            SandboxCalls minted = new SandboxCalls(minting, sandbox);
            Sealed sealed = minted.seal(Requests.typical("portone", "default", "r-portone-tokens"));
            Map<String, String> first = minted.headers(sealed.request());

            minted.send(sealed.request(), first, SandboxCalls.TIMEOUT);
            minted.send(sealed.request(), first, SandboxCalls.TIMEOUT);
            clock.advance(Duration.ofSeconds(2));
            minted.send(sealed);

            List<String> fingerprints = sandbox.attempts(minted.idempotencyKey(sealed.request())).stream()
                    .map(Attempt::tokenFingerprint).toList();
            assertThat(fingerprints).hasSize(3).doesNotContainNull();
            assertThat(fingerprints.get(1)).isEqualTo(fingerprints.get(0));
            assertThat(fingerprints.get(2)).isNotEqualTo(fingerprints.get(0)).hasSize(16);
        }
    }

    @Test
    void keepsNoTokenFingerprintForStaticBearerTokens() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("wise", "default", "r-wise-no-fingerprint"));

        calls.send(sealed);

        assertThat(sandbox.attempts(calls.idempotencyKey(sealed.request()))).singleElement()
                .extracting(Attempt::tokenFingerprint).isNull();
    }

    @Test
    void answersAnUnknownProviderWith404() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sandbox.port() + "/nobody/v1/x")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(404);
    }

    static JsonNode decodedHeader(String part) throws Json.MalformedJsonException {
        return Json.parseTree(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
    }
}
