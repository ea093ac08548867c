package io.jps.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import io.jps.engine.Engine;
import io.jps.keys.Keyset;
import io.jps.keys.KeysetId;
import io.jps.keys.KeysetLayout;
import io.jps.keys.KeysetLoader;
import io.jps.profile.ReasonCode;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.SealedRequest;
import io.jps.support.Engines;
import io.jps.support.Requests;
import io.jps.support.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RequestSealerTest {

    private static Engine engine;

    @BeforeAll
    static void start() {
        engine = Engines.engine();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void sealsJuspayAsFiveFieldJsonWithKidAndJwtContentType() throws Exception {
        SealedRequest sealed = engine.sealer().seal(Requests.typical("juspay", "default", "r-1")).request();

        assertThat(sealed.method()).isEqualTo("POST");
        assertThat(sealed.path()).isEqualTo("/v4/orders/ord_77/refunds");
        assertThat(sealed.headers()).containsEntry("Content-Type", "application/json")
                .containsEntry("x-merchantid", TestKeys.secret("juspay", "merchant-id")).doesNotContainKey("Authorization");
        JsonNode body = Json.parseTree(sealed.body());
        assertThat(body.properties()).extracting(Map.Entry::getKey)
                .containsExactly("header", "encryptedKey", "iv", "encryptedPayload", "tag");
        JWEObject jwe = JWEObject.parse(String.join(".", body.get("header").asText(), body.get("encryptedKey").asText(),
                body.get("iv").asText(), body.get("encryptedPayload").asText(), body.get("tag").asText()));
        String kid = kid("juspay", "merchant-private.kid");
        assertThat(jwe.getHeader().getAlgorithm().getName()).isEqualTo("RSA-OAEP-256");
        assertThat(jwe.getHeader().getEncryptionMethod().getName()).isEqualTo("A256GCM");
        assertThat(jwe.getHeader().getContentType().toString()).isEqualTo("JWT");
        assertThat(jwe.getHeader().getKeyID()).isEqualTo(kid);
    }

    @Test
    void sealsWiseAsCompactJweCarryingThePathAndKeepsTheWrappedContentKey() throws Exception {
        Sealed sealed = engine.sealer().seal(Requests.typical("wise", "default", "r-2"));

        SealedRequest request = sealed.request();
        assertThat(request.headers()).containsEntry("Content-Type", "application/jose+json")
                .containsEntry("Accept", "application/jose+json").containsEntry("X-TW-JOSE-Method", "jwe")
                .containsEntry("Accept-Encoding", "identity").doesNotContainKey("Authorization");
        JWEObject jwe = JWEObject.parse(request.body());
        assertThat(jwe.getHeader().getAlgorithm().getName()).isEqualTo("RSA-OAEP-256");
        assertThat(jwe.getHeader().getCustomParam("url")).isEqualTo("/v1/cases");
        assertThat(jwe.getHeader().getKeyID()).isEqualTo(kid("wise", "provider-public.kid"));
        assertThat(jwe.getHeader().getContentType()).isNull();
        assertThat(sealed.wrappedCek()).matches("[A-Za-z0-9_-]{40,}");
    }

    @Test
    void sealsWiseGetWithoutABody() throws Exception {
        PaymentRequest get = new PaymentRequest("r-3", "wise", "default", "case-status", null, null, null,
                Requests.json("{\"caseId\":\"123456789\"}"));

        Sealed sealed = engine.sealer().seal(get);

        assertThat(sealed.request().method()).isEqualTo("GET");
        assertThat(sealed.request().path()).isEqualTo("/v1/cases/123456789");
        assertThat(sealed.request().body()).isNull();
        assertThat(sealed.wrappedCek()).isNull();
    }

    @Test
    void sealsSocureInItsEnvelopeWithASignedPayloadInside() throws Exception {
        SealedRequest sealed = engine.sealer().seal(Requests.typical("socure", "default", "r-4")).request();

        assertThat(sealed.path()).isEqualTo("/api/evaluation");
        assertThat(sealed.headers()).containsEntry("X-Payload-Encrypted", "true").containsEntry("Accept", "application/json")
                .doesNotContainKey("Authorization");
        JsonNode body = Json.parseTree(sealed.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("encrypted_request");
        JWEObject jwe = JWEObject.parse(body.get("encrypted_request").asText());
        assertThat(jwe.getHeader().getKeyID()).isNull();
        assertThat(jwe.getHeader().getAlgorithm().getName()).isEqualTo("RSA-OAEP-256");
    }

    @Test
    void sealsPortOneAsPlainJsonWithTheClientKeyHeaderButNoToken() throws Exception {
        SealedRequest sealed = engine.sealer().seal(Requests.typical("portone", "default", "r-5")).request();

        assertThat(Json.parseTree(sealed.body())).isEqualTo(Requests.typical("portone", "default", "r-5").payload());
        assertThat(sealed.headers()).containsEntry("X-Portone-Client-Key", TestKeys.secret("portone", "client-key"))
                .doesNotContainKey("Authorization");
    }

    @Test
    void nestsAnRs256SignatureWithTheMerchantKidThatOnlyTheProviderCanReach() throws Exception {
        SealedRequest sealed = engine.sealer().seal(Requests.typical("socure", "default", "r-6")).request();
        JWEObject jwe = JWEObject.parse(Json.parseTree(sealed.body()).get("encrypted_request").asText());
        Keyset providerSide = new KeysetLoader(engine.backend(), KeysetLayout.SANDBOX, Map.of(), engine.config().providers())
                .load(TestKeys.sandboxKeys().resolve("socure/default"), new KeysetId("socure", "default"));

        jwe.decrypt(providerSide.decryptionCandidates(null, null, Instant.now()).get(0).decrypter());
        JWSObject jws = JWSObject.parse(jwe.getPayload().toString());

        assertThat(jws.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jws.getHeader().getKeyID()).isEqualTo(kid("socure", "merchant-private.kid"));
        assertThat(jws.verify(providerSide.verificationCandidates(null, null, Instant.now()).get(0).verifier())).isTrue();
        assertThat(Json.parseTree(jws.getPayload().toString()))
                .isEqualTo(Requests.typical("socure", "default", "r-6").payload());
    }

    @Test
    void refusesUnknownProviderAccountAndOperation() {
        assertRefused(new PaymentRequest("r", "stripe", "default", "refund", null, null, null, Requests.json("{}")),
                ReasonCode.UNKNOWN_PROVIDER);
        assertRefused(new PaymentRequest("r", "juspay", "nobody", "refund", null, null, null, Requests.json("{\"order_id\":\"o\"}")),
                ReasonCode.UNKNOWN_ACCOUNT);
        assertRefused(new PaymentRequest("r", "juspay", "default", "teleport", null, null, null, Requests.json("{}")),
                ReasonCode.UNKNOWN_OPERATION);
        assertRefused(new PaymentRequest("r", "juspay", "default", null, null, null, null, Requests.json("{}")),
                ReasonCode.MALFORMED);
    }

    @Test
    void refusesAccountNamesThatWouldLeaveTheKeysDirectory() {
        for (String account : new String[] {"../wise/default", "..", ".", "default/../../x", "a b", ""}) {
            assertRefused(new PaymentRequest("r", "juspay", account, "refund", null, null, null,
                    Requests.json("{\"order_id\":\"o\"}")), ReasonCode.UNKNOWN_ACCOUNT);
        }
    }

    @Test
    void refusesPathsThatCouldLeaveTheProvidersHost() {
        for (String path : new String[] {"//evil.example/x", "/v4/../admin", "v4/orders", "/v4/%2e%2e/admin",
                "/a b", "/a#frag", "/a\\b"}) {
            assertRefused(new PaymentRequest("r", "juspay", "default", null, "POST", path, null, Requests.json("{}")),
                    ReasonCode.MALFORMED);
        }
        assertRefused(new PaymentRequest("r", "juspay", "default", "refund", null, null, null,
                Requests.json("{\"order_id\":\"..\"}")), ReasonCode.MALFORMED);
    }

    @Test
    void encodesPathParametersAsOneSegment() throws Exception {
        Sealed sealed = engine.sealer().seal(new PaymentRequest("r", "juspay", "default", "refund", null, null, null,
                Requests.json("{\"order_id\":\"a/b?c d\"}")));

        assertThat(sealed.request().path()).isEqualTo("/v4/orders/a%2Fb%3Fc%20d/refunds");
    }

    @Test
    void refusesAMissingPathParameter() {
        assertRefused(new PaymentRequest("r", "juspay", "default", "refund", null, null, null, Requests.json("{}")),
                ReasonCode.MALFORMED);
    }

    @Test
    void refusesAKeysetWithoutTheSecretAHeaderNeeds() throws Exception {
        Path keys = TestKeys.copy();
        Files.delete(keys.resolve("juspay/default/secrets.properties"));
        try (Engine other = Engine.create(engine.config(), keys, Map.of(), java.time.Clock.systemUTC())) {
            assertThatThrownBy(() -> other.sealer().seal(Requests.typical("juspay", "default", "r")))
                    .isInstanceOfSatisfying(SealFailure.class, f -> assertThat(f.reason()).isEqualTo(ReasonCode.NO_KEY))
                    .hasMessageContaining("merchant-id");
        }
    }

    private static void assertRefused(PaymentRequest request, ReasonCode reason) {
        assertThatThrownBy(() -> engine.sealer().seal(request))
                .isInstanceOfSatisfying(SealFailure.class, f -> assertThat(f.reason()).isEqualTo(reason));
    }

    private static String kid(String provider, String file) throws Exception {
        return Files.readString(TestKeys.keys().resolve(provider).resolve("default").resolve(file), StandardCharsets.UTF_8).trim();
    }
}
