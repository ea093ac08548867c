package io.jps.seal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jps.engine.Engine;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.PaymentResult;
import io.jps.record.ProviderResponse;
import io.jps.sandbox.ProviderCrypto.AnswerMode;
import io.jps.sandbox.ProviderCrypto.OpenedRequest;
import io.jps.sandbox.ProviderCrypto;
import io.jps.support.Engines;
import io.jps.support.Requests;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoundTripTest {

    private static final JsonNode ANSWER = Requests.json("{\"status\":\"SUCCESS\",\"refund\":{\"amount\":\"10.00\",\"id\":\"rf_9\"}}");

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure", "portone"})
    void requestOpensOnTheProviderSideAndItsAnswerOpensOnOurs(String provider) throws Exception {
        try (Engine engine = Engines.engine()) {
            assertRoundTrip(engine, Requests.typical(provider, "default", "r-" + provider), AnswerMode.NORMAL);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA-OAEP-256", "RSA-OAEP"})
    void juspayRoundTripsWithEitherKeyAlgorithm(String algorithm) throws Exception {
        String overlay = "providers:\n  juspay:\n    seal: {encryption: " + algorithm + "}\n"
                + "    open: {encryption: [" + algorithm + "]}\n";
        try (Engine engine = Engines.engine(Engines.config(overlay), Clock.systemUTC())) {
            Sealed sealed = assertRoundTrip(engine, Requests.typical("juspay", "acme", "r-alg"), AnswerMode.NORMAL);
            String header = Json.parseObject(sealed.request().body().getBytes(StandardCharsets.UTF_8)).get("header").asText();
            assertThat(new String(java.util.Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8))
                    .contains("\"alg\":\"" + algorithm + "\"");
        }
    }

    @Test
    void wiseDirectAnswerOpensWithTheRequestsOwnContentKey() throws Exception {
        try (Engine engine = Engines.engine()) {
            Sealed sealed = assertRoundTrip(engine, Requests.typical("wise", "default", "r-dir"), AnswerMode.DIRECT);
            assertThat(sealed.wrappedCek()).isNotBlank();
        }
    }

    private static Sealed assertRoundTrip(Engine engine, PaymentRequest request, AnswerMode mode) throws Exception {
        ProviderCrypto provider = Engines.provider(engine);
        Sealed sealed = engine.sealer().seal(request);

        OpenedRequest opened = provider.openRequest(request.provider(), request.account(), sealed.request().path(),
                sealed.request().body());
        assertThat(Json.parseTree(new String(opened.payload(), StandardCharsets.UTF_8))).isEqualTo(request.payload());

        String body = provider.sealAnswer(request.provider(), request.account(), Json.writeBytes(ANSWER), mode,
                opened.contentKey());
        ProviderResponse response = new ProviderResponse(request.requestId(), request.provider(), request.account(), 200,
                Map.of(), body, 1, System.currentTimeMillis(), System.currentTimeMillis());
        PaymentResult result = engine.opener().open(response, sealed.sent());

        assertThat(result.outcome()).isEqualTo(PaymentResult.Outcome.SUCCEEDED);
        assertThat(result.payload()).isEqualTo(ANSWER);
        assertThat(result.requestId()).isEqualTo(request.requestId());
        boolean signed = !engine.config().providers().get(request.provider()).open().signature().isEmpty();
        assertThat(result.verifiedKid() != null).isEqualTo(signed);
        return sealed;
    }
}
