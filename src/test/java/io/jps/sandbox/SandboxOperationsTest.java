package io.jps.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jps.engine.Engine;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.PaymentResult;
import io.jps.sandbox.FaultPlan.Fault;
import io.jps.sandbox.FaultPlan.RequestClass;
import io.jps.seal.Sealed;
import io.jps.support.Engines;
import io.jps.support.Requests;
import io.jps.support.TestKeys;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operations the seeds add to the sandbox: Juspay's Mandate Execution answered in plain JSON as its guide shows,
 * and Socure's versioned evaluation and DocV upload update. One sandbox here tampers every answer it can: a plain
 * answer has nothing to tamper with, so it never is.
 */
class SandboxOperationsTest {

    private static Engine engine;
    private static ProviderSandbox sandbox;
    private static ProviderSandbox tampering;
    private static SandboxCalls calls;
    private static SandboxCalls tamperingCalls;

    @BeforeAll
    static void start() throws Exception {
        engine = Engines.engine();
        sandbox = ProviderSandbox.start(engine.config(), SandboxSettings.wellBehaved(TestKeys.sandboxKeys()), Clock.systemUTC());
        tampering = ProviderSandbox.start(engine.config(), SandboxSettings.wellBehaved(TestKeys.sandboxKeys())
                .withFaults(1, FaultRates.NONE.with(RequestClass.TAMPERED, 1.0)), Clock.systemUTC());
        calls = new SandboxCalls(engine, sandbox);
        tamperingCalls = new SandboxCalls(engine, tampering);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        tampering.close();
        engine.close();
    }

    @Test
    void answersJuspayMandateExecutionInPlainJsonAsItsGuideShows() throws Exception {
        PaymentRequest request = new PaymentRequest("r-txn-1", "juspay", "default", "txn", null, null, "ord_81",
                Requests.json("{\"order_id\":\"ord_81\",\"mandate_id\":\"mdt_5\",\"amount\":\"99.00\"}"));
        Sealed sealed = tamperingCalls.seal(request);

        HttpResponse<String> answer = tamperingCalls.send(sealed);

        assertThat(sealed.request().path()).isEqualTo("/v4/txns");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = Json.parseTree(answer.body());
        String merchantId = sealed.request().headers().get("x-merchantid");
        assertThat(body.fieldNames()).toIterable().containsExactly("txn_uuid", "txn_id", "status", "payment", "order_id");
        assertThat(body.get("txn_uuid").asText()).isNotBlank();
        assertThat(body.get("txn_id").asText()).isEqualTo(merchantId + "-ord_81-1");
        assertThat(body.get("status").asText()).isEqualTo("PENDING_VBV");
        assertThat(body.at("/payment/authentication/method").asText()).isEqualTo("GET");
        assertThat(body.at("/payment/authentication/url").asText()).startsWith("https://api.juspay.io/v2/pay/finish/" + merchantId + "/");
        assertThat(body.get("order_id").asText()).isEqualTo("ord_81");
        assertThat(tampering.attempts(tamperingCalls.idempotencyKey(sealed.request()))).singleElement()
                .satisfies(attempt -> assertThat(attempt.faults()).isEmpty());
    }

    @Test
    void stillSealsEveryOtherJuspayAnswer() throws Exception {
        Sealed sealed = tamperingCalls.seal(Requests.typical("juspay", "default", "r-refund-sealed"));

        HttpResponse<String> answer = tamperingCalls.send(sealed);

        assertThat(Json.parseTree(answer.body()).fieldNames()).toIterable()
                .containsExactly("header", "encryptedKey", "iv", "encryptedPayload", "tag");
        assertThat(tampering.attempts(tamperingCalls.idempotencyKey(sealed.request()))).singleElement()
                .satisfies(attempt -> assertThat(attempt.faults()).containsExactly(Fault.TAMPERED));
    }

    @Test
    void acceptsSocuresVersionedEvaluation() throws Exception {
        PaymentRequest request = new PaymentRequest("r-eval-v", "socure", "default", "evaluation-version", null, null, null,
                Requests.json("{\"version\":\"4.0\",\"id\":\"r-eval-v\",\"data\":{\"individual\":{\"given_name\":\"Ada\"}}}"));

        Sealed sealed = calls.seal(request);
        HttpResponse<String> answer = calls.send(sealed);
        PaymentResult result = calls.open(sealed, answer);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(result.outcome()).isEqualTo(PaymentResult.Outcome.SUCCEEDED);
        JsonNode echo = result.payload();
        assertThat(echo.get("method").asText()).isEqualTo("POST");
        assertThat(echo.get("path").asText()).isEqualTo("/api/evaluation/4.0");
        assertThat(echo.get("echo")).isEqualTo(request.payload());
    }

    @Test
    void acceptsSocuresDocvUploadUpdateAndAnswersWithTheDocvReference() throws Exception {
        PaymentRequest request = new PaymentRequest("r-docv-u", "socure", "default", "docv-upload-update", null, null, null,
                Requests.json("{\"docv_transaction_token\":\"dtt_42\",\"documents\":[{\"type\":\"license\"}]}"));
        Sealed sealed = calls.seal(request);

        HttpResponse<String> answer = calls.send(sealed);

        assertThat(sealed.request().method()).isEqualTo("PATCH");
        assertThat(sealed.request().path()).isEqualTo("/api/docv/upload/dtt_42");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(Json.parseTree(answer.body()).fieldNames()).toIterable()
                .containsExactly("docv_previous_reference_id", "encrypted_response");
        PaymentResult result = calls.open(sealed, answer);
        assertThat(result.payload().get("method").asText()).isEqualTo("PATCH");
        assertThat(result.payload().get("echo")).isEqualTo(request.payload());
    }
}
