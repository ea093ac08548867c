package io.jps.sandbox;

import io.jps.dispatch.IdempotencyKeys;
import io.jps.engine.Engine;
import io.jps.open.OpenFailure;
import io.jps.record.PaymentRequest;
import io.jps.record.PaymentResult;
import io.jps.record.ProviderResponse;
import io.jps.record.SealedRequest;
import io.jps.seal.SealFailure;
import io.jps.seal.Sealed;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Calls a running sandbox over real HTTP the way the dispatcher does: the sealed request's headers, the credentials
 * minted at send time, the idempotency header; and reads an answer back as the {@link ProviderResponse} the open
 * stage gets.
 */
final class SandboxCalls {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Engine engine;
    private final ProviderSandbox sandbox;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    SandboxCalls(Engine engine, ProviderSandbox sandbox) {
        this.engine = engine;
        this.sandbox = sandbox;
    }

    Sealed seal(PaymentRequest request) throws SealFailure {
        return engine.sealer().seal(request);
    }

    String idempotencyKey(SealedRequest request) {
        return IdempotencyKeys.of(request.provider(), request.account(), request.requestId());
    }

    /** Every header the dispatcher sends, in a map a test may change before sending. */
    Map<String, String> headers(SealedRequest request) throws SealFailure {
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        headers.putAll(engine.credentials().headersFor(request));
        headers.put(engine.config().providers().get(request.provider()).dispatch().idempotencyHeader(), idempotencyKey(request));
        return headers;
    }

    /** The genuine request, as the dispatcher would send it. */
    HttpResponse<String> send(Sealed sealed) throws Exception {
        return send(sealed.request(), headers(sealed.request()), TIMEOUT);
    }

    HttpResponse<String> send(SealedRequest request, Map<String, String> headers, Duration timeout) throws Exception {
        return send(request.provider(), request.method(), request.path(), headers, request.body(), timeout);
    }

    HttpResponse<String> send(String provider, String method, String path, Map<String, String> headers, String body,
                              Duration timeout) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(sandbox.baseUrl(provider) + path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    static ProviderResponse response(SealedRequest request, HttpResponse<String> answer) {
        Map<String, String> headers = new LinkedHashMap<>();
        answer.headers().map().forEach((name, values) -> headers.put(name, values.get(0)));
        return new ProviderResponse(request.requestId(), request.provider(), request.account(), answer.statusCode(), headers,
                answer.body(), 1, System.currentTimeMillis(), System.currentTimeMillis());
    }

    /** The answer opened by the product's open stage entry point, with the request's wrapped content key. */
    PaymentResult open(Sealed sealed, HttpResponse<String> answer) throws OpenFailure {
        return engine.opener().open(response(sealed.request(), answer), sealed.sent());
    }
}
