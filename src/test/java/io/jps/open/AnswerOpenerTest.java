package io.jps.open;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jps.engine.Engine;
import io.jps.profile.ReasonCode;
import io.jps.record.Json;
import io.jps.record.PaymentResult.Outcome;
import io.jps.record.PaymentResult;
import io.jps.record.ProviderResponse;
import io.jps.record.SentRequest;
import io.jps.sandbox.ProviderCrypto;
import io.jps.support.Engines;
import io.jps.support.Requests;
import io.jps.support.Sent;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How answers that are not attacks are read: provider errors, empty bodies, both Juspay forms, plain JSON. */
class AnswerOpenerTest {

    private static Engine engine;
    private static ProviderCrypto provider;

    @BeforeAll
    static void start() {
        engine = Engines.engine();
        provider = Engines.provider(engine);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void socureErrorBodyIsAProviderErrorResultNotADeadLetter() throws Exception {
        String body = "{\"eval_id\":\"123456-abcdef-123456\",\"error\":\"Payload decryption failed\"}";

        PaymentResult result = open("socure", 400, body);

        assertThat(result.outcome()).isEqualTo(Outcome.PROVIDER_ERROR);
        assertThat(result.httpStatus()).isEqualTo(400);
        assertThat(result.payload()).isEqualTo(Requests.json(body));
        assertThat(result.verifiedKid()).isNull();
    }

    @Test
    void socure500AfterVerificationIsAProviderErrorToo() throws Exception {
        PaymentResult result = open("socure", 500, "{\"eval_id\":\"e\",\"error\":\"The encrypted payload is verified with "
                + "success, however, server has internal problems to handle response encryption\"}");

        assertThat(result.outcome()).isEqualTo(Outcome.PROVIDER_ERROR);
    }

    @Test
    void aSealedErrorAnswerIsVerifiedAndStillAProviderError() throws Exception {
        String body = provider.sealAnswer("juspay", "default", "{\"status\":\"invalid_request\"}".getBytes(),
                ProviderCrypto.AnswerMode.NORMAL, null);

        PaymentResult result = open("juspay", 400, body);

        assertThat(result.outcome()).isEqualTo(Outcome.PROVIDER_ERROR);
        assertThat(result.verifiedKid()).isNotNull();
        assertThat(result.payload().get("status").asText()).isEqualTo("invalid_request");
    }

    @Test
    void wiseEmptyBodyIsAnEmptyAnswerBecauseWiseDoesNotEncryptIt() throws Exception {
        PaymentResult result = open("wise", 204, "");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.payload()).isNull();
    }

    @Test
    void emptyBodyWhereAnAnswerIsDueIsMalformed() {
        assertRefused("juspay", 200, "", ReasonCode.MALFORMED);
    }

    @Test
    void juspayAnswersOpenInEitherOfItsTwoForms() throws Exception {
        String fields = provider.sealAnswer("juspay", "default", "{\"a\":1}".getBytes(), ProviderCrypto.AnswerMode.NORMAL, null);
        var node = Json.parseTree(fields);
        String compact = String.join(".", node.get("header").asText(), node.get("encryptedKey").asText(),
                node.get("iv").asText(), node.get("encryptedPayload").asText(), node.get("tag").asText());

        assertThat(open("juspay", 200, fields).payload()).isEqualTo(Requests.json("{\"a\":1}"));
        assertThat(open("juspay", 200, Json.write(Map.of("JWT", compact))).payload()).isEqualTo(Requests.json("{\"a\":1}"));
    }

    @Test
    void portOneAnswersArePlainJson() throws Exception {
        PaymentResult result = open("portone", 200, "{\"status\":\"Success\",\"amount\":1000}");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.payload().get("amount").asInt()).isEqualTo(1000);
    }

    @Test
    void portOneSuccessThatIsNotJsonIsMalformedButAnErrorPageIsAProviderError() throws Exception {
        assertRefused("portone", 200, "<html>ok</html>", ReasonCode.MALFORMED);
        PaymentResult result = open("portone", 502, "<html>Bad Gateway</html>");
        assertThat(result.outcome()).isEqualTo(Outcome.PROVIDER_ERROR);
        assertThat(result.payload().asText()).isEqualTo("<html>Bad Gateway</html>");
    }

    @Test
    void unknownProviderAndAccountAreRefusedAtDecryption() {
        ProviderResponse response = received("stripe", "default", 200, "x");
        assertThatThrownBy(() -> engine.opener().open(response, Sent.to(response))).isInstanceOfSatisfying(OpenFailure.class, f -> {
                    assertThat(f.reason()).isEqualTo(ReasonCode.UNKNOWN_PROVIDER);
                    assertThat(f.phase()).isEqualTo(OpenPhase.DECRYPTION);
                });
        assertRefused("juspay", "nobody", 200, "{\"JWT\":\"a.b.c.d.e\"}", ReasonCode.UNKNOWN_ACCOUNT);
    }

    @Test
    void carriesTheTimestampsAndAttemptsOfEveryStage() throws Exception {
        String body = provider.sealAnswer("wise", "default", "{}".getBytes(), ProviderCrypto.AnswerMode.NORMAL, null);
        long respondedAt = System.currentTimeMillis();
        ProviderResponse response = new ProviderResponse("r", "wise", "default", 200, Map.of(), body, 2, respondedAt - 40, respondedAt);

        PaymentResult result = engine.opener().open(response, new SentRequest("wise", "default", "case", 500L, null, null));

        assertThat(result.sealedAt()).isEqualTo(500L);
        assertThat(result.dispatchedAt()).isEqualTo(respondedAt - 40);
        assertThat(result.respondedAt()).isEqualTo(respondedAt);
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(result.openedAt()).isPositive();
        assertThat(result.verification()).isEqualTo(PaymentResult.Verification.JOSE);
    }

    @Test
    void saysAPlainAnswerWasTrustedThroughTlsOnly() throws Exception {
        assertThat(open("portone", 200, "{\"status\":\"PAID\"}").verification()).isEqualTo(PaymentResult.Verification.TLS);
        assertThat(open("socure", 400, "{\"error\":\"bad\"}").verification()).isEqualTo(PaymentResult.Verification.TLS);
        assertThat(open("wise", 200, "").verification()).isEqualTo(PaymentResult.Verification.TLS);
    }

    @Test
    void opensJuspayTxnsPlainAnswerAsTrustedThroughTlsAndRefusesAPlainAnswerToARefund() throws Exception {
        ProviderResponse plain = received("juspay", "default", 200,
                "{\"txn_uuid\":\"eulmN9X8JpeC7qK6AJq\",\"status\":\"PENDING_VBV\",\"order_id\":\"ord_9\"}");

        PaymentResult result = engine.opener().open(plain, new SentRequest("juspay", "default", "txn", 1L, null, null));
        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.verification()).isEqualTo(PaymentResult.Verification.TLS);
        assertThat(result.payload().get("status").asText()).isEqualTo("PENDING_VBV");
        assertThatThrownBy(() -> engine.opener().open(plain, new SentRequest("juspay", "default", "refund", 1L, null, null)))
                .isInstanceOfSatisfying(OpenFailure.class, f -> assertThat(f.reason()).isEqualTo(ReasonCode.MALFORMED));
        assertThatThrownBy(() -> engine.opener().open(plain, new SentRequest("juspay", "default", null, 1L, null, null)))
                .as("no operation known: JOSE expected").isInstanceOf(OpenFailure.class);
    }

    @Test
    void opensWithTheKeysOfTheSentRequestNotOfWhatTheAnswerClaims() throws Exception {
        String body = provider.sealAnswer("socure", "acme", "{}".getBytes(), ProviderCrypto.AnswerMode.NORMAL, null);
        ProviderResponse claimsDefault = received("socure", "default", 200, body);

        assertThat(engine.opener().open(claimsDefault, new SentRequest("socure", "acme", null, 1L, null, null)).account())
                .isEqualTo("acme");
        assertThatThrownBy(() -> engine.opener().open(claimsDefault, Sent.to(claimsDefault)))
                .isInstanceOfSatisfying(OpenFailure.class, f -> assertThat(f.reason()).isEqualTo(ReasonCode.UNKNOWN_KID));
    }

    private static PaymentResult open(String provider, int status, String body) throws OpenFailure {
        ProviderResponse response = received(provider, "default", status, body);
        return engine.opener().open(response, Sent.to(response));
    }

    private static void assertRefused(String provider, int status, String body, ReasonCode reason) {
        assertRefused(provider, "default", status, body, reason);
    }

    private static void assertRefused(String provider, String account, int status, String body, ReasonCode reason) {
        ProviderResponse response = received(provider, account, status, body);
        assertThatThrownBy(() -> engine.opener().open(response, Sent.to(response)))
                .isInstanceOfSatisfying(OpenFailure.class, f -> assertThat(f.reason()).isEqualTo(reason));
    }

    private static ProviderResponse received(String provider, String account, int status, String body) {
        long now = System.currentTimeMillis();
        return new ProviderResponse("r", provider, account, status, Map.of(), body, 1, now - 30, now);
    }
}
