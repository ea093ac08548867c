package io.jps.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Liveness and readiness answer what their suppliers say, each on its own: a process can be live and not ready. */
class ObservabilityServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answersLivenessAndReadinessFromTheirOwnSuppliers() throws Exception {
        AtomicBoolean live = new AtomicBoolean(true);
        AtomicBoolean ready = new AtomicBoolean(false);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ObservabilityServer server = ObservabilityServer.start("127.0.0.1", 0, registry, live::get, ready::get)) {
            assertThat(status(server, "/health/live")).isEqualTo(200);
            assertThat(status(server, "/health/ready")).isEqualTo(503);

            live.set(false);
            ready.set(true);

            assertThat(status(server, "/health/live")).isEqualTo(503);
            assertThat(status(server, "/health/ready")).isEqualTo(200);
        }
    }

    private int status(ObservabilityServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
