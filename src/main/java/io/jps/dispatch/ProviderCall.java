package io.jps.dispatch;

import dev.failsafe.Failsafe;
import dev.failsafe.RateLimiter;
import dev.failsafe.RetryPolicy;
import dev.failsafe.ExecutionContext;
import io.jps.observe.PipelineMetrics;
import io.jps.profile.Dispatch;
import io.jps.profile.ProviderProfile;
import io.jps.profile.ReasonCode;
import io.jps.record.ProviderResponse;
import io.jps.record.SealedRequest;
import io.jps.seal.SealFailure;
import io.jps.seal.SendTimeCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * One request's whole exchange with its provider: credentials added for each attempt (never earlier), the
 * provider's rate limit, retries of connection failures, timeouts, 5xx and 429 with exponential backoff and
 * jitter or the provider's Retry-After, within a number of attempts and a total time. Failsafe runs the
 * retry loop asynchronously; no thread waits.
 */
final class ProviderCall {

    private final HttpClient client;
    private final SendTimeCredentials credentials;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final int maxAnswerBytes;
    private final PipelineMetrics metrics;

    ProviderCall(HttpClient client, SendTimeCredentials credentials, ScheduledExecutorService scheduler, Clock clock,
                 int maxAnswerBytes, PipelineMetrics metrics) {
        this.client = client;
        this.credentials = credentials;
        this.scheduler = scheduler;
        this.clock = clock;
        this.maxAnswerBytes = maxAnswerBytes;
        this.metrics = metrics;
    }

    /** Thrown inside an attempt when the keyset cannot supply the credentials; never retried. */
    private static final class CredentialsUnavailable extends RuntimeException {
        private final SealFailure failure;

        CredentialsUnavailable(SealFailure failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    CompletableFuture<CallOutcome> send(SealedRequest request, ProviderProfile profile, RateLimiter<Object> rateLimiter) {
        Dispatch dispatch = profile.dispatch();
        long dispatchedAt = clock.millis();
        long deadline = System.nanoTime() + dispatch.maxTotalTime().toNanos();
        AtomicInteger attempts = new AtomicInteger();
        RetryPolicy<HttpResponse<LimitedBody.Bytes>> retries = RetryPolicy.<HttpResponse<LimitedBody.Bytes>>builder()
                .handle(IOException.class)
                // A TLS failure will fail the same way next time; anything else that is not an IOException
                // (an unusable URL, a header the HTTP client refuses) is not retried either.
                .abortOn(SSLException.class)
                .handleResultIf(ProviderCall::retryable)
                .abortIf(response -> retryAfterBeyond(response, deadline))
                .withDelayFn(context -> delay(context, dispatch))
                .withMaxAttempts(dispatch.maxAttempts())
                .withMaxDuration(dispatch.maxTotalTime())
                .build();
        return Failsafe.with(retries).with(scheduler)
                .getStageAsync(context -> attempt(request, profile, rateLimiter, attempts))
                .handle((response, failure) -> outcome(request, response, failure, attempts.get(), dispatchedAt));
    }

    private CompletionStage<HttpResponse<LimitedBody.Bytes>> attempt(SealedRequest request, ProviderProfile profile,
                                                                    RateLimiter<Object> rateLimiter, AtomicInteger attempts) {
        HttpRequest http;
        try {
            http = httpRequest(request, profile);
        } catch (SealFailure failure) {
            return CompletableFuture.failedFuture(new CredentialsUnavailable(failure));
        }
        Duration wait = rateLimiter == null ? Duration.ZERO : rateLimiter.reservePermit();
        CompletableFuture<Void> turn = wait.isZero() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS, scheduler));
        long started = System.nanoTime();
        return turn.thenCompose(ignored -> {
            attempts.incrementAndGet();
            return client.sendAsync(http, LimitedBody.handler(maxAnswerBytes));
        }).whenComplete((response, failure) -> metrics.dispatchAttempt(request.provider(),
                response == null ? "error" : statusClass(response.statusCode()), Duration.ofNanos(System.nanoTime() - started)));
    }

    /** Built afresh for every attempt: a PortOne token minted for the first attempt may have expired by the third. */
    private HttpRequest httpRequest(SealedRequest request, ProviderProfile profile) throws SealFailure {
        HttpRequest.BodyPublisher body = request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(stripTrailingSlash(profile.baseUrl().toString())
                        + request.path()))
                .timeout(profile.dispatch().timeout())
                .method(request.method(), body);
        request.headers().forEach(builder::header);
        credentials.headersFor(request).forEach(builder::header);
        String idempotencyHeader = profile.dispatch().idempotencyHeader();
        if (idempotencyHeader != null) {
            builder.header(idempotencyHeader, IdempotencyKeys.of(request.provider(), request.account(), request.requestId()));
        }
        return builder.build();
    }

    private CallOutcome outcome(SealedRequest request, HttpResponse<LimitedBody.Bytes> response, Throwable failure,
                                int attempts, long dispatchedAt) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof CredentialsUnavailable unavailable) {
            return new CallOutcome.GaveUp(unavailable.failure.reason(), unavailable.failure.getMessage(), attempts);
        }
        if (cause != null) {
            boolean transientKind = cause instanceof IOException && !(cause instanceof SSLException);
            // The exception's own message can quote a URL or header; its class says enough.
            return new CallOutcome.GaveUp(transientKind ? ReasonCode.RETRIES_EXHAUSTED : ReasonCode.TRANSPORT_FAILED,
                    cause.getClass().getName() + " after " + attempts + " attempt(s)", attempts);
        }
        if (retryable(response)) {
            return new CallOutcome.GaveUp(ReasonCode.RETRIES_EXHAUSTED, "HTTP " + response.statusCode() + " after " + attempts
                    + " attempt(s)", attempts);
        }
        if (response.body().oversized()) {
            return new CallOutcome.GaveUp(ReasonCode.OVERSIZED, "HTTP " + response.statusCode() + " answer larger than "
                    + "limits.maxAnswerBytes=" + maxAnswerBytes, attempts);
        }
        return new CallOutcome.Answered(new ProviderResponse(request.requestId(), request.provider(), request.account(),
                response.statusCode(), answerHeaders(response),
                new String(response.body().bytes(), StandardCharsets.UTF_8), attempts, dispatchedAt, clock.millis()));
    }

    /** Exponential backoff with jitter, unless the provider said when to come back. */
    private Duration delay(ExecutionContext<HttpResponse<LimitedBody.Bytes>> context, Dispatch dispatch) {
        Optional<Duration> retryAfter = Optional.ofNullable(context.getLastResult())
                .flatMap(response -> RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock));
        if (retryAfter.isPresent()) {
            return retryAfter.get();
        }
        long initial = dispatch.initialBackoff().toMillis();
        long ceiling = Math.min(dispatch.maxBackoff().toMillis(), initial << Math.min(20, Math.max(0, context.getAttemptCount() - 1)));
        // "Equal jitter": at least half the backoff, so retries spread out without collapsing to zero.
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    private boolean retryAfterBeyond(HttpResponse<LimitedBody.Bytes> response, long deadline) {
        return response != null && retryable(response) && RetryAfter.parse(
                response.headers().firstValue("Retry-After").orElse(null), clock)
                .map(wait -> System.nanoTime() + wait.toNanos() > deadline).orElse(false);
    }

    private static boolean retryable(HttpResponse<?> response) {
        return response != null && (response.statusCode() >= 500 || response.statusCode() == 429);
    }

    private static String statusClass(int status) {
        return status == 429 ? "429" : (status / 100) + "xx";
    }

    /** The answer's headers, minus those that carry session state or describe the connection. */
    private static Map<String, String> answerHeaders(HttpResponse<?> response) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (!lower.startsWith(":") && !lower.equals("set-cookie") && !lower.equals("connection")
                    && !lower.equals("transfer-encoding") && !lower.equals("keep-alive")) {
                headers.put(name, String.join(", ", values));
            }
        });
        return headers;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
