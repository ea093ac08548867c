package io.jps.dispatch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A provider that answers from a script, one step per request, and records what it received and when: enough
 * to test the retry machinery itself. (The sandbox plays the real providers; this plays a misbehaving one.)
 */
final class ScriptedProvider implements AutoCloseable {

    /** One scripted answer; {@code status < 0} closes the connection without answering. */
    record Step(int status, Map<String, String> headers, String body, long delayMillis) {
        static Step answer(int status, String body) {
            return new Step(status, Map.of(), body, 0);
        }

        static Step retryAfter(int seconds) {
            return new Step(429, Map.of("Retry-After", String.valueOf(seconds)), "{}", 0);
        }

        static Step reset() {
            return new Step(-1, Map.of(), "", 0);
        }

        static Step hang(long millis) {
            return new Step(200, Map.of(), "{}", millis);
        }
    }

    /** What arrived: when, and the request headers and body. */
    record Received(long atNanos, String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final Deque<Step> script = new ArrayDeque<>();
    private final List<Received> received = new ArrayList<>();
    private Step otherwise = Step.answer(200, "{\"ok\":true}");

    ScriptedProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    synchronized ScriptedProvider then(Step... steps) {
        script.addAll(List.of(steps));
        return this;
    }

    synchronized ScriptedProvider otherwise(Step step) {
        otherwise = step;
        return this;
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Step step;
        synchronized (this) {
            received.add(new Received(System.nanoTime(), exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            step = script.isEmpty() ? otherwise : script.poll();
        }
        try (exchange) {
            if (step.delayMillis() > 0) {
                Thread.sleep(step.delayMillis());
            }
            if (step.status() < 0) {
                return;
            }
            step.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            byte[] body = step.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(step.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
