package io.jps.dispatch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A provider that answers from a script, one step per request, and records what it received: enough to test the
 * retry machinery itself. (The sandbox plays the real providers; this plays a misbehaving one.) Order is told by
 * the server's own event numbers, not by clocks, so tests of ordering hold on a machine under any load.
 */
final class ScriptedProvider implements AutoCloseable {

    /** How long a step that waits for companions waits at most before it answers alone. */
    private static final long RENDEZVOUS_MILLIS = 20_000;

    /**
     * One scripted answer; {@code status < 0} closes the connection without answering.
     *
     * @param companions   answer in groups of this many: the n-th request of such steps waits for the others of its
     *                     group to arrive (0: do not wait)
     * @param trickleBytes send the headers, then this many body bytes one every {@code delayMillis}
     */
    record Step(int status, Map<String, String> headers, String body, long delayMillis, int companions, int trickleBytes) {
        static Step answer(int status, String body) {
            return new Step(status, Map.of(), body, 0, 0, 0);
        }

        static Step retryAfter(int seconds) {
            return new Step(429, Map.of("Retry-After", String.valueOf(seconds)), "{}", 0, 0, 0);
        }

        static Step reset() {
            return new Step(-1, Map.of(), "", 0, 0, 0);
        }

        static Step hang(long millis) {
            return new Step(200, Map.of(), "{}", millis, 0, 0);
        }

        /** Answers in pairs, each once its partner has arrived too: proof that two were in flight at the same time. */
        static Step together(int status, String body) {
            return new Step(status, Map.of(), body, 0, 2, 0);
        }

        static Step trickle(int bytes, long everyMillis) {
            return new Step(200, Map.of(), "", everyMillis, 0, bytes);
        }
    }

    /**
     * What arrived, and when by the server's event count: {@code arrived} and its {@link #answeredAt} are numbers of
     * one sequence, so "arrived after that was answered" needs no clock.
     */
    record Received(int number, long arrived, String method, String target, String path, Map<String, List<String>> headers,
                    String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final AtomicLong events = new AtomicLong();
    private final Deque<Step> script = new ArrayDeque<>();
    private final Map<String, Step> byPath = new HashMap<>();
    private final List<Received> received = new ArrayList<>();
    private final Map<Integer, Long> answeredAt = new HashMap<>();
    private final AtomicInteger inside = new AtomicInteger();
    private int grouped;
    private final AtomicInteger mostInside = new AtomicInteger();
    private final AtomicInteger cutOff = new AtomicInteger();
    private Step otherwise = Step.answer(200, "{\"ok\":true}");

    ScriptedProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    synchronized ScriptedProvider then(Step... steps) {
        script.addAll(List.of(steps));
        return this;
    }

    /** Every request for {@code path} gets {@code step}, whatever the script says. */
    synchronized ScriptedProvider at(String path, Step step) {
        byPath.put(path, step);
        return this;
    }

    synchronized ScriptedProvider otherwise(Step step) {
        otherwise = step;
        return this;
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** The event number at which the answer to {@code request} was sent; 0 if none was. */
    synchronized long answeredAt(Received request) {
        return answeredAt.getOrDefault(request.number(), 0L);
    }

    /** The most requests the server was handling at one moment. */
    int mostAtOnce() {
        return mostInside.get();
    }

    /** Answers the client stopped reading before they were complete. */
    int cutOff() {
        return cutOff.get();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Step step;
        Received request;
        int now = inside.incrementAndGet();
        mostInside.accumulateAndGet(now, Math::max);
        synchronized (this) {
            request = new Received(received.size(), events.incrementAndGet(), exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(), exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            received.add(request);
            step = byPath.containsKey(request.path()) ? byPath.get(request.path()) : script.isEmpty() ? otherwise : script.poll();
        }
        try (exchange) {
            if (step.companions() > 0) {
                awaitCompanions(step.companions());
            }
            if (step.trickleBytes() > 0) {
                trickle(exchange, step);
                return;
            }
            if (step.delayMillis() > 0) {
                Thread.sleep(step.delayMillis());
            }
            if (step.status() < 0) {
                return;
            }
            step.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            byte[] body = step.body().getBytes(StandardCharsets.UTF_8);
            synchronized (this) {
                answeredAt.put(request.number(), events.incrementAndGet());
            }
            exchange.sendResponseHeaders(step.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inside.decrementAndGet();
        }
    }

    private synchronized void awaitCompanions(int groupSize) throws InterruptedException {
        int ticket = grouped++;
        notifyAll();
        int complete = (ticket / groupSize + 1) * groupSize;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RENDEZVOUS_MILLIS);
        while (grouped < complete && System.nanoTime() < deadline) {
            wait(50);
        }
    }

    private void trickle(HttpExchange exchange, Step step) throws IOException, InterruptedException {
        exchange.sendResponseHeaders(200, step.trickleBytes());
        OutputStream out = exchange.getResponseBody();
        try {
            for (int i = 0; i < step.trickleBytes(); i++) {
                out.write('x');
                out.flush();
                Thread.sleep(step.delayMillis());
            }
        } catch (IOException e) {
            cutOff.incrementAndGet();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
