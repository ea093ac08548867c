package io.jps.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jps.config.ConfigLoader;
import io.jps.config.PipelineConfig;
import io.jps.engine.Engine;
import io.jps.record.Json;
import io.jps.sandbox.ProviderSandbox;
import io.jps.sandbox.SandboxSettings;
import io.jps.support.Engines;
import io.jps.support.KafkaClients;
import io.jps.support.Requests;
import io.jps.support.TestBroker;
import io.jps.support.TestKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A whole node (every role) on a real broker: health says ready, /metrics shows the pipeline at work, and the
 * status page and its JSON are served beside them.
 */
class PipelineNodeIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesHealthAndPrometheusMetricsOfAWorkingPipeline() throws Exception {
        try (TestBroker broker = TestBroker.start();
             ProviderSandbox sandbox = ProviderSandbox.start(ConfigLoader.defaults(),
                     SandboxSettings.wellBehaved(TestKeys.sandboxKeys()), Clock.systemUTC())) {
            PipelineConfig config = Engines.config("bootstrapServers: " + broker.bootstrapServers() + "\napplicationId: node-it\n"
                    + "providers:\n  juspay:\n    baseUrl: " + sandbox.baseUrl("juspay") + "\n    allowPlainHttp: true\n");
            try (Engine engine = Engines.engine(config, Clock.systemUTC());
                 PipelineNode node = PipelineNode.start(engine, Role.ALL, broker.connection(),
                         Files.createTempDirectory(Path.of("target"), "node-state-"), "127.0.0.1", 0);
                 KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker.bootstrapServers())) {
                assertThat(get(node, "/health/live").statusCode()).isEqualTo(200);
                Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> get(node, "/health/ready").statusCode() == 200);

                producer.send(new ProducerRecord<>("payments.requests", "ord_77".getBytes(StandardCharsets.UTF_8),
                        Json.writeBytes(Requests.typical("juspay", "default", "node-1")))).get();
                assertThat(KafkaClients.readUntilQuiet(broker.bootstrapServers(), List.of("payments.results"), 1,
                        Duration.ofMillis(500), Duration.ofMinutes(1))).hasSize(1);

                String metrics = get(node, "/metrics").body();
                assertThat(metrics).contains("jps_seals_total{outcome=\"sealed\",provider=\"juspay\"} 1.0");
                assertThat(metrics).contains("jps_opens_total{outcome=\"succeeded\",provider=\"juspay\"} 1.0");
                assertThat(metrics).contains("jps_dispatch_attempts_total{provider=\"juspay\",status_class=\"2xx\"} 1.0");
                assertThat(metrics).contains("jps_stage_latency_seconds_bucket{provider=\"juspay\",stage=\"seal\"");
                assertThat(metrics).contains("jps_dispatch_in_flight");
                assertThat(metrics).contains("jps_ready 1.0");
                assertThat(metrics).contains("jps_stage_state{stage=\"dispatch\",state=\"RUNNING\"} 1.0");
                assertThat(metrics).containsPattern("jps_build_info\\{version=\"[^\"]+\"} 1");
                assertThat(metrics).contains("jps_consumer_lag_records{group=\"node-it\",stage=\"seal\",topic=\"payments.requests\"}");
                assertThat(metrics).contains("jps_provider_circuit_state{provider=\"juspay\"} 0.0");
                assertThat(metrics).contains("jvm_memory_used_bytes");
                assertThat(metrics).containsPattern("kafka_stream_\\w+");

                assertThat(get(node, "/").body()).contains("<script src=\"/status.js\">");
                assertThat(get(node, "/status.js").statusCode()).isEqualTo(200);
                assertThat(get(node, "/no-such-page").statusCode()).isEqualTo(404);
                JsonNode status = Json.MAPPER.readTree(get(node, "/status.json").body());
                assertThat(status.get("ready").asBoolean()).isTrue();
                assertThat(status.get("records")).anySatisfy(row -> {
                    assertThat(row.get("stage").asText()).isEqualTo("seal");
                    assertThat(row.get("provider").asText()).isEqualTo("juspay");
                    assertThat(row.get("count").asLong()).isEqualTo(1);
                });
            }
        }
    }

    private HttpResponse<String> get(PipelineNode node, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.metricsPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
