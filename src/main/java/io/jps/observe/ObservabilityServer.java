package io.jps.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /metrics} (Prometheus text), {@code /health/live} and {@code /health/ready} on one port. Ready
 * means every stage this process runs says it is working (Kafka Streams RUNNING, the dispatcher polling).
 * {@code /} is a status page for whoever has no Grafana at hand, reading {@code /status.json}.
 */
public final class ObservabilityServer implements AutoCloseable {

    private final HttpServer server;

    private ObservabilityServer(HttpServer server) {
        this.server = server;
    }

    public static ObservabilityServer start(String host, int port, PrometheusMeterRegistry registry, BooleanSupplier ready)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "jps-observability");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/metrics", exchange ->
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/health/live", exchange -> respond(exchange, 200, "text/plain", "live\n"));
        server.createContext("/health/ready", exchange -> {
            boolean isReady = ready.getAsBoolean();
            respond(exchange, isReady ? 200 : 503, "text/plain", isReady ? "ready\n" : "not ready\n");
        });
        StatusReport status = new StatusReport(registry);
        server.createContext("/", exchange -> {
            // The root context also receives every path no other context claims.
            boolean root = exchange.getRequestURI().getPath().equals("/");
            respond(exchange, root ? 200 : 404, root ? "text/html; charset=utf-8" : "text/plain", root ? StatusPage.HTML : "not found\n");
        });
        server.createContext("/status.js", exchange -> respond(exchange, 200, "text/javascript; charset=utf-8", StatusPage.SCRIPT));
        server.createContext("/status.json", exchange -> respond(exchange, 200, "application/json", status.json()));
        server.start();
        return new ObservabilityServer(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
