package io.jps.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jps.app.PipelineNode;
import io.jps.app.Role;
import io.jps.attest.AttestationKey;
import io.jps.config.ConfigLoader;
import io.jps.config.PipelineConfig;
import io.jps.engine.Engine;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.PaymentResult;
import io.jps.record.ProviderResponse;
import io.jps.sandbox.ProviderSandbox;
import io.jps.sandbox.SandboxSettings;
import io.jps.support.Engines;
import io.jps.support.KafkaClients;
import io.jps.support.Requests;
import io.jps.support.SeedKeysets;
import io.jps.support.TestBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Keysets exactly as each seed's provider hands them out (made with openssl and by hand, never by {@code keys
 * generate}): Juspay's PKCS#1 key and key UUID, Wise's exchanged public keys, Socure's certificates with our key as
 * encrypted PKCS#8, PortOne's secrets alone. A whole node on a real broker seals a request of every operation the seeds
 * add or use, the dispatcher sends each to the sandbox, and every answer comes back 2xx on payments.responses and
 * opens offline. The node is ready only while every keyset loads.
 */
class SeedKeysetsIT {

    private static final String PASSPHRASE = "handed over by the key custodian";
    private static final String PASSPHRASE_VARIABLE = "SOCURE_KEY_PASSPHRASE";
    private static final List<PaymentRequest> REQUESTS = List.of(
            new PaymentRequest("seed-juspay-refund", "juspay", "default", "refund", null, null, "ord_9",
                    Requests.json("{\"order_id\":\"ord_9\",\"unique_request_id\":\"rf_9\",\"amount\":\"10.00\"}")),
            new PaymentRequest("seed-juspay-txn", "juspay", "default", "txn", null, null, "ord_9",
                    Requests.json("{\"order_id\":\"ord_9\",\"mandate_id\":\"mdt_1\",\"amount\":\"10.00\"}")),
            new PaymentRequest("seed-wise-case", "wise", "default", "case", null, null, null,
                    Requests.json("{\"type\":\"GENERAL_ENQUIRY\",\"subject\":\"Inquiry about Transfer 12345\"}")),
            new PaymentRequest("seed-socure-evaluation", "socure", "default", "evaluation-version", null, null, null,
                    Requests.json("{\"version\":\"4.0\",\"id\":\"e-9\",\"data\":{\"individual\":{\"given_name\":\"Ada\"}}}")),
            new PaymentRequest("seed-socure-docv", "socure", "default", "docv-upload-update", null, null, null,
                    Requests.json("{\"docv_transaction_token\":\"dtt_9\",\"documents\":[]}")),
            new PaymentRequest("seed-portone-status", "portone", "default", "transaction-status", null, null, null,
                    Requests.json("{\"merchant_order_ref\":\"MERCHANT1647433108462\"}")),
            new PaymentRequest("seed-portone-link", "portone", "default", null, "POST", "/api/paymentLink", null,
                    Requests.json("{\"merchant_order_id\":\"m-9\",\"amount\":1000,\"currency\":\"KRW\"}")));

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everySeedKeysetSealsIsAnsweredThroughTheSandboxAndOpensOntoTheResults() throws Exception {
        SeedKeysets seed = new SeedKeysets(Files.createTempDirectory(Path.of("target"), "seed-it-"));
        seed.juspay("default");
        seed.wise("default");
        seed.socure("default", 10, PASSPHRASE, PASSPHRASE_VARIABLE);
        seed.portone("default");
        // The deployment's own key, not a provider's: `keys generate` makes it, here the test does.
        AttestationKey.createIfAbsent(seed.keys());

        try (TestBroker broker = TestBroker.start();
             ProviderSandbox sandbox = ProviderSandbox.start(ConfigLoader.defaults(),
                     SandboxSettings.wellBehaved(seed.sandboxKeys()), Clock.systemUTC())) {
            PipelineConfig config = Engines.config(overlay(broker.bootstrapServers(), sandbox));
            try (Engine engine = Engine.create(config, seed.keys(), Map.of(PASSPHRASE_VARIABLE, PASSPHRASE), Clock.systemUTC());
                 PipelineNode node = PipelineNode.start(engine, Role.ALL, broker.connection(),
                         Files.createTempDirectory(Path.of("target"), "seed-it-state-"), "127.0.0.1", 0);
                 KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker.bootstrapServers())) {
                Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> status(node, "/health/ready") == 200);
                assertThat(get(node, "/metrics")).contains("jps_key_expiry_seconds{account=\"default\","
                        + "kid=\"provider-public.pem\",provider=\"socure\",role=\"provider-public\"}");

                for (PaymentRequest request : REQUESTS) {
                    producer.send(new ProducerRecord<>(config.topics().requests().name(),
                            request.recordKey().getBytes(StandardCharsets.UTF_8), Json.writeBytes(request))).get();
                }
                Map<String, ProviderResponse> responses = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : KafkaClients.readUntilQuiet(broker.bootstrapServers(),
                        List.of(config.topics().responses().name()), REQUESTS.size(), Duration.ofSeconds(1), Duration.ofMinutes(2))) {
                    ProviderResponse response = Json.MAPPER.readValue(record.value(), ProviderResponse.class);
                    responses.put(response.requestId(), response);
                }

                assertThat(responses).hasSize(REQUESTS.size());
                Map<String, PaymentResult> results = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : KafkaClients.readUntilQuiet(broker.bootstrapServers(),
                        List.of(config.topics().results().name()), REQUESTS.size(), Duration.ofSeconds(1), Duration.ofMinutes(2))) {
                    PaymentResult result = Json.MAPPER.readValue(record.value(), PaymentResult.class);
                    results.put(result.requestId(), result);
                }
                assertThat(results).hasSize(REQUESTS.size());
                for (PaymentRequest request : REQUESTS) {
                    assertThat(responses.get(request.requestId()).httpStatus()).as(request.requestId()).isEqualTo(200);
                    PaymentResult result = results.get(request.requestId());
                    assertThat(result.outcome()).as(request.requestId()).isEqualTo(PaymentResult.Outcome.SUCCEEDED);
                    if ("txn".equals(request.operation())) {
                        assertThat(result.verification()).isEqualTo(PaymentResult.Verification.TLS);
                        assertThat(result.payload().get("status").asText()).isEqualTo("PENDING_VBV");
                        assertThat(result.payload().get("order_id").asText()).isEqualTo("ord_9");
                        continue;
                    }
                    assertThat(result.verification()).as(request.requestId()).isEqualTo(request.provider().equals("portone")
                            ? PaymentResult.Verification.TLS : PaymentResult.Verification.JOSE);
                    JsonNode echo = result.payload().get("echo");
                    if ("GET".equals(result.payload().get("method").asText())) {
                        assertThat(echo.isNull()).as(request.requestId() + " has no body").isTrue();
                    } else {
                        assertThat(echo).as(request.requestId()).isEqualTo(request.payload());
                    }
                }

                Path portone = seed.keys().resolve("portone/default/secrets.properties");
                String secrets = Files.readString(portone);
                Files.writeString(portone, secrets.replaceAll("(?m)^hmac-secret=.*\n", ""));
                Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> status(node, "/health/ready") == 503);
                Files.writeString(portone, secrets);
                Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> status(node, "/health/ready") == 200);
            }
        }
    }

    private static String overlay(String bootstrapServers, ProviderSandbox sandbox) {
        StringBuilder yaml = new StringBuilder("bootstrapServers: " + bootstrapServers + "\napplicationId: seed-keysets\n"
                + "keys: {reloadInterval: PT0.2S}\ndispatcher: {groupId: seed-keysets-dispatcher}\nproviders:\n");
        for (String provider : List.of("juspay", "wise", "socure", "portone")) {
            yaml.append("  ").append(provider).append(":\n    baseUrl: ").append(sandbox.baseUrl(provider)).append('\n')
                    .append("    allowPlainHttp: true\n")
                    .append("    dispatch: {timeout: PT5S, initialBackoff: PT0.05S, maxBackoff: PT0.2S}\n");
        }
        return yaml.toString();
    }

    private int status(PipelineNode node, String path) throws Exception {
        return send(node, path).statusCode();
    }

    private String get(PipelineNode node, String path) throws Exception {
        return send(node, path).body();
    }

    private HttpResponse<String> send(PipelineNode node, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.metricsPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
