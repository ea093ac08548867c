package io.jps.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jps.engine.Engine;
import io.jps.keys.Keyset;
import io.jps.record.Json;
import io.jps.record.SealedRequest;
import io.jps.sandbox.FaultPlan.RequestClass;
import io.jps.seal.JoseSealer;
import io.jps.seal.Sealed;
import io.jps.support.Engines;
import io.jps.support.MutableClock;
import io.jps.support.Requests;
import io.jps.support.TestKeys;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each check a provider makes, failed on purpose: the request is refused with the provider's documented error shape.
 * Every request is otherwise genuine, and the sandbox would fault every one that passed: refusals come first.
 */
class SandboxRefusalsTest {

    private static Engine engine;
    private static ProviderSandbox sandbox;
    private static SandboxCalls calls;

    @BeforeAll
    static void start() throws Exception {
        engine = Engines.engine();
        SandboxSettings everythingFails = SandboxSettings.wellBehaved(TestKeys.sandboxKeys())
                .withFaults(1, FaultRates.NONE.with(RequestClass.DOWN, 1.0));
        sandbox = ProviderSandbox.start(engine.config(), everythingFails, Clock.systemUTC());
        calls = new SandboxCalls(engine, sandbox);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        engine.close();
    }

    // Juspay

    @Test
    void juspayRefusesAMissingMerchantIdWith401() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("juspay", "default", "r-juspay-no-mid"));
        Map<String, String> headers = calls.headers(sealed.request());
        headers.remove("x-merchantid");

        HttpResponse<String> answer = calls.send(sealed.request(), headers, SandboxCalls.TIMEOUT);

        assertJuspayError(answer, 401, "unauthorized");
        assertThat(sandbox.attempts(calls.idempotencyKey(sealed.request()))).singleElement().satisfies(attempt -> {
            assertThat(attempt.refusal()).isEqualTo(Refusal.UNKNOWN_CREDENTIAL);
            assertThat(attempt.account()).isNull();
            assertThat(attempt.faults()).isEmpty();
        });
    }

    @Test
    void juspayRefusesAnUnknownMerchantIdWith401() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("juspay", "default", "r-juspay-bad-mid"));
        Map<String, String> headers = calls.headers(sealed.request());
        headers.put("x-merchantid", "someone-else");

        assertJuspayError(calls.send(sealed.request(), headers, SandboxCalls.TIMEOUT), 401, "unauthorized");
    }

    @Test
    void juspayRefusesAnotherContentTypeWith400() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("juspay", "default", "r-juspay-ctype"));
        Map<String, String> headers = calls.headers(sealed.request());
        headers.put("Content-Type", "text/plain");

        assertJuspayError(calls.send(sealed.request(), headers, SandboxCalls.TIMEOUT), 400, "invalid_headers");
    }

    @Test
    void juspayRefusesABodyThatIsNotTheFiveFields() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("juspay", "default", "r-juspay-body"));

        HttpResponse<String> answer = calls.send("juspay", "POST", sealed.request().path(), calls.headers(sealed.request()),
                "{\"order_id\":\"ord_77\"}", SandboxCalls.TIMEOUT);

        assertJuspayError(answer, 400, "invalid_format");
    }

    @Test
    void juspayAcceptsAContentTypeWithACharset() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("juspay", "default", "r-juspay-charset"));
        Map<String, String> headers = calls.headers(sealed.request());
        headers.put("Content-Type", "application/json; charset=utf-8");

        // Accepted, then faulted (this sandbox fails every accepted request): the header passed.
        assertThat(calls.send(sealed.request(), headers, SandboxCalls.TIMEOUT).statusCode()).isEqualTo(503);
    }

    // Wise

    @Test
    void wiseRefusesAMissingBearerTokenWith401() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("wise", "default", "r-wise-no-token"));
        Map<String, String> headers = calls.headers(sealed.request());
        headers.remove("Authorization");

        assertWiseError(calls.send(sealed.request(), headers, SandboxCalls.TIMEOUT), 401, "unauthorized");
    }

    @Test
    void wiseRefusesAWrongBearerTokenWith401() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("wise", "default", "r-wise-bad-token"));
        Map<String, String> headers = calls.headers(sealed.request());
        headers.put("Authorization", "Bearer not-a-token-of-anyone");

        assertWiseError(calls.send(sealed.request(), headers, SandboxCalls.TIMEOUT), 401, "unauthorized");
    }

    @Test
    void wiseRefusesARequestWithoutTheJoseMethodHeaderWith403() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("wise", "default", "r-wise-no-jose"));
        Map<String, String> headers = calls.headers(sealed.request());
        headers.remove("X-TW-JOSE-Method");

        assertWiseError(calls.send(sealed.request(), headers, SandboxCalls.TIMEOUT), 403, "invalid_headers");
    }

    @Test
    void wiseRefusesABodySealedForAnotherPath() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("wise", "default", "r-wise-url"));

        HttpResponse<String> answer = calls.send("wise", "POST", "/v1/cases/123/comments", calls.headers(sealed.request()),
                sealed.request().body(), SandboxCalls.TIMEOUT);

        assertWiseError(answer, 400, "url_mismatch");
        assertThat(sandbox.stats("wise").rejected(Refusal.URL_MISMATCH)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void wiseRefusesABodySealedForAnotherAccountsProviderKey() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("wise", "acme", "r-wise-other-account"));
        Map<String, String> headers = calls.headers(sealed.request());
        headers.put("Authorization", "Bearer " + TestKeys.secret("wise", "api-token"));

        assertWiseError(calls.send(sealed.request(), headers, SandboxCalls.TIMEOUT), 400, "decryption_failed");
    }

    // Socure

    @Test
    void socureRefusesAnUnknownApiKeyAsItsDocumentationSays() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("socure", "default", "r-socure-key"));
        Map<String, String> headers = calls.headers(sealed.request());
        headers.put("Authorization", "Bearer an-id-plus-key");

        assertSocureError(calls.send(sealed.request(), headers, SandboxCalls.TIMEOUT),
                "Payload encryption is not supported for this api-key");
    }

    @Test
    void socureRefusesARequestWithoutTheEncryptionHeader() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("socure", "default", "r-socure-header"));
        Map<String, String> headers = calls.headers(sealed.request());
        headers.remove("X-Payload-Encrypted");

        assertSocureError(calls.send(sealed.request(), headers, SandboxCalls.TIMEOUT), "Payload format is not supported");
    }

    @Test
    void socureRefusesABodyWithoutEncryptedRequest() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("socure", "default", "r-socure-format"));

        assertSocureError(sendBody(sealed, "{\"id\":\"r-socure-format\"}"), "Payload format is not supported");
    }

    @Test
    void socureRefusesAnEncryptedRequestThatIsNotAJwe() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("socure", "default", "r-socure-not-jwe"));

        assertSocureError(sendBody(sealed, "{\"encrypted_request\":\"eyJhbGciOiJSUzI1NiJ9.e30.c2ln\"}"),
                "Encrypted payload is not in JWE format");
    }

    @Test
    void socureRefusesATamperedBody() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("socure", "default", "r-socure-tampered"));
        String token = Json.parseTree(sealed.request().body()).get("encrypted_request").asText();
        String[] parts = token.split("\\.");
        parts[3] = parts[3].substring(0, 10) + (parts[3].charAt(10) == 'A' ? 'B' : 'A') + parts[3].substring(11);

        assertSocureError(sendBody(sealed, Json.write(Map.of("encrypted_request", String.join(".", parts)))),
                "Payload decryption failed");
    }

    @Test
    void socureRefusesAnEncryptedPayloadThatIsNotSigned() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("socure", "default", "r-socure-unsigned"));
        Keyset ours = engine.keyRing().lookup("socure", "default").found().orElseThrow();
        String jwe = new JoseSealer(engine.backend()).encrypt(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM),
                "{\"id\":\"r-socure-unsigned\"}".getBytes(StandardCharsets.UTF_8),
                ours.encryptionKey(null, Instant.now()).orElseThrow(), false).compact();

        assertSocureError(sendBody(sealed, Json.write(Map.of("encrypted_request", jwe))), "Signed payload is not in JWS format");
    }

    @Test
    void socureRefusesARequestSignedByAnotherKey() throws Exception {
        Path keys = TestKeys.copy();
        for (String file : new String[] {"merchant-private.pem", "merchant-private.kid"}) {
            Files.copy(keys.resolve("socure/acme").resolve(file), keys.resolve("socure/default").resolve(file),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        try (Engine impostor = Engine.create(engine.config(), keys, Map.of(), Clock.systemUTC())) {
            SandboxCalls forged = new SandboxCalls(impostor, sandbox);
            Sealed sealed = forged.seal(Requests.typical("socure", "default", "r-socure-forged"));

            assertSocureError(forged.send(sealed), "Payload signature could not be verified");
        }
    }

    // PortOne

    @Test
    void portOneRefusesAnExpiredToken() throws Exception {
        MutableClock past = new MutableClock(Instant.now().minus(Duration.ofSeconds(200)));
        try (Engine late = Engines.engine(engine.config(), past)) {
            SandboxCalls lateCalls = new SandboxCalls(late, sandbox);
            Sealed sealed = lateCalls.seal(Requests.typical("portone", "default", "r-portone-expired"));

            assertPortOneError(lateCalls.send(sealed), "TOKEN_EXPIRED");
        }
    }

    @Test
    void portOneRefusesATokenForAnotherSubject() throws Exception {
        Instant now = Instant.now();
        assertPortOneError(sendPortOneToken(token("someone-else", TestKeys.secret("portone", "hmac-secret"), now, now.plusSeconds(100))),
                "INVALID_TOKEN");
    }

    @Test
    void portOneRefusesATokenSignedWithAnotherSecret() throws Exception {
        Instant now = Instant.now();
        assertPortOneError(sendPortOneToken(token(TestKeys.secret("portone", "client-key"),
                "a-secret-of-thirty-two-bytes-or-more-for-MACSigner", now, now.plusSeconds(100))), "INVALID_TOKEN");
    }

    @Test
    void portOneRefusesATokenLivingLongerThanTheDocumentedHundredSeconds() throws Exception {
        Instant now = Instant.now();
        assertPortOneError(sendPortOneToken(token(TestKeys.secret("portone", "client-key"), TestKeys.secret("portone", "hmac-secret"),
                now, now.plusSeconds(3600))), "INVALID_TOKEN");
    }

    @Test
    void portOneRefusesAClientKeyHeaderThatIsNotTheTokensSubject() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("portone", "default", "r-portone-other-key"));
        Map<String, String> headers = calls.headers(sealed.request());
        headers.put("X-Portone-Client-Key", secretOf("acme", "client-key"));

        assertPortOneError(calls.send(sealed.request(), headers, SandboxCalls.TIMEOUT), "INVALID_TOKEN");
    }

    @Test
    void portOneRefusesAMissingClientKey() throws Exception {
        Sealed sealed = calls.seal(Requests.typical("portone", "default", "r-portone-no-key"));
        Map<String, String> headers = calls.headers(sealed.request());
        headers.remove("X-Portone-Client-Key");

        assertPortOneError(calls.send(sealed.request(), headers, SandboxCalls.TIMEOUT), "UNAUTHORIZED");
    }

    @Test
    void countsRefusalsByReasonAndInjectsNoFaultIntoThem() throws Exception {
        long before = sandbox.stats("socure").rejected(Refusal.FORMAT_NOT_SUPPORTED);
        Sealed sealed = calls.seal(Requests.typical("socure", "default", "r-socure-count"));

        sendBody(sealed, "[]");

        ProviderStats stats = sandbox.stats("socure");
        assertThat(stats.rejected(Refusal.FORMAT_NOT_SUPPORTED)).isEqualTo(before + 1);
        assertThat(stats.faults(FaultPlan.Fault.SERVER_ERROR)).isEqualTo(stats.accepted());
    }

    private HttpResponse<String> sendBody(Sealed sealed, String body) throws Exception {
        SealedRequest request = sealed.request();
        return calls.send(request.provider(), request.method(), request.path(), calls.headers(request), body, SandboxCalls.TIMEOUT);
    }

    private HttpResponse<String> sendPortOneToken(String token) throws Exception {
        Sealed sealed = calls.seal(Requests.typical("portone", "default", "r-portone-" + token.hashCode()));
        Map<String, String> headers = calls.headers(sealed.request());
        headers.put("Authorization", "Bearer " + token);
        return calls.send(sealed.request(), headers, SandboxCalls.TIMEOUT);
    }

    private static String token(String subject, String secret, Instant issued, Instant expires) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder().issuer("PORTONE").subject(subject).issueTime(Date.from(issued))
                        .expirationTime(Date.from(expires)).build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static String secretOf(String account, String name) throws Exception {
        return Files.readAllLines(TestKeys.keys().resolve("portone").resolve(account).resolve("secrets.properties")).stream()
                .filter(line -> line.startsWith(name + "=")).map(line -> line.substring(name.length() + 1)).findFirst().orElseThrow();
    }

    private static void assertJuspayError(HttpResponse<String> answer, int status, String code) throws Exception {
        assertThat(answer.statusCode()).isEqualTo(status);
        JsonNode body = Json.parseTree(answer.body());
        assertThat(body.get("status").asText()).isEqualTo("error");
        assertThat(body.get("error_code").asText()).isEqualTo(code);
        assertThat(body.get("error_message").asText()).isNotBlank();
    }

    private static void assertWiseError(HttpResponse<String> answer, int status, String code) throws Exception {
        assertThat(answer.statusCode()).isEqualTo(status);
        JsonNode errors = Json.parseTree(answer.body()).get("errors");
        assertThat(errors.size()).isEqualTo(1);
        assertThat(errors.get(0).get("code").asText()).isEqualTo(code);
        assertThat(errors.get(0).get("message").asText()).isNotBlank();
    }

    private static void assertSocureError(HttpResponse<String> answer, String message) throws Exception {
        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode body = Json.parseTree(answer.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("eval_id", "error");
        assertThat(body.get("error").asText()).isEqualTo(message);
    }

    private static void assertPortOneError(HttpResponse<String> answer, String reason) throws Exception {
        assertThat(answer.statusCode()).isEqualTo(401);
        JsonNode body = Json.parseTree(answer.body());
        assertThat(body.get("status_code").asInt()).isEqualTo(401);
        assertThat(body.get("status_reason").asText()).isEqualTo(reason);
    }
}
