package io.jps.dispatch;

import dev.failsafe.ExecutionContext;
import dev.failsafe.Failsafe;
import dev.failsafe.RateLimiter;
import dev.failsafe.RetryPolicy;
import io.jps.observe.DispatchRetryReason;
import io.jps.observe.PipelineMetrics;
import io.jps.profile.Dispatch;
import io.jps.profile.ProviderProfile;
import io.jps.profile.ReasonCode;
import io.jps.record.ProviderResponse;
import io.jps.record.SealedRequest;
import io.jps.seal.SealFailure;
import io.jps.seal.SendTimeCredentials;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;

/**
 * One request's whole exchange with its provider: the provider's circuit (while it is open the request waits, within
 * its time budget, instead of spending attempts), its rate limit, credentials added for each attempt (never
 * earlier), a time limit on each whole attempt including its body, and retries of connection failures, timeouts,
 * 5xx and 429 with exponential backoff and jitter or the provider's Retry-After, within a number of attempts and a
 * total time. Failsafe runs the retry loop asynchronously; no thread waits. Deadlines are read from {@code ticker}
 * and every wait is scheduled on {@code scheduler}, so a test can run the whole exchange in virtual time.
 */
final class ProviderCall {

    private final ProviderHttpClients clients;
    private final ProviderCircuits circuits;
    private final SendTimeCredentials credentials;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final LongSupplier ticker;
    private final int maxAnswerBytes;
    private final PipelineMetrics metrics;
    private final Map<String, Optional<RateLimiter<Object>>> rateLimiters = new ConcurrentHashMap<>();

    ProviderCall(ProviderHttpClients clients, ProviderCircuits circuits, SendTimeCredentials credentials,
                 ScheduledExecutorService scheduler, Clock clock, LongSupplier ticker, int maxAnswerBytes, PipelineMetrics metrics) {
        this.clients = clients;
        this.circuits = circuits;
        this.credentials = credentials;
        this.scheduler = scheduler;
        this.clock = clock;
        this.ticker = ticker;
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

    /** The provider's circuit stayed open for as long as the request's time budget lasted; never retried. */
    private static final class CircuitStayedOpen extends RuntimeException {
        CircuitStayedOpen() {
            super("circuit open", null, false, false);
        }
    }

    /** One request's budget: its deadline, the attempts it sent and the ones it was charged for. */
    private static final class Exchange {
        final long dispatchedAt;
        final long deadline;
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger charged = new AtomicInteger();

        Exchange(long dispatchedAt, long deadline) {
            this.dispatchedAt = dispatchedAt;
            this.deadline = deadline;
        }
    }

    CompletableFuture<CallOutcome> send(SealedRequest request, ProviderProfile profile, AllowedRequest allowed) {
        Dispatch dispatch = profile.dispatch();
        Exchange exchange = new Exchange(clock.millis(), ticker.getAsLong() + dispatch.maxTotalTime().toNanos());
        RetryPolicy<HttpResponse<LimitedBody.Bytes>> retries = RetryPolicy.<HttpResponse<LimitedBody.Bytes>>builder()
                .handle(IOException.class)
                // A TLS failure will fail the same way next time; anything else that is not an IOException
                // (credentials missing, the circuit open all along) is not retried either.
                .abortOn(SSLException.class)
                .handleResultIf(ProviderCall::retryable)
                .abortIf((response, failure) -> exchange.charged.get() >= dispatch.maxAttempts()
                        || ticker.getAsLong() >= exchange.deadline || retryAfterBeyond(response, exchange.deadline))
                .withDelayFn(context -> delay(context, dispatch, exchange))
                .withMaxRetries(-1)
                .onRetry(event -> metrics.dispatchRetried(request.provider(), event.getLastException() != null
                        ? DispatchRetryReason.ofFailure(cause(event.getLastException()))
                        : DispatchRetryReason.ofStatus(event.getLastResult().statusCode())))
                .build();
        return Failsafe.with(retries).with(scheduler)
                .getStageAsync(context -> attempt(request, profile, allowed, exchange))
                .handle((response, failure) -> outcome(request, response, failure, exchange))
                .thenApply(outcome -> {
                    if (outcome instanceof CallOutcome.GaveUp gaveUp) {
                        metrics.dispatchGaveUp(request.provider(), gaveUp.reason());
                    }
                    return outcome;
                });
    }

    private CompletionStage<HttpResponse<LimitedBody.Bytes>> attempt(SealedRequest request, ProviderProfile profile,
                                                                    AllowedRequest allowed, Exchange exchange) {
        try {
            // A request without credentials must not take the provider's one probe while its circuit is half-open.
            credentials.check(request);
        } catch (SealFailure failure) {
            return CompletableFuture.failedFuture(new CredentialsUnavailable(failure));
        }
        ProviderCircuit circuit = circuits.of(profile.name());
        return permit(circuit, exchange).thenCompose(permit -> rateLimited(profile).thenCompose(turn -> {
            HttpRequest http;
            try {
                // Built after every wait: a PortOne token minted before a long wait for the circuit would be stale.
                http = httpRequest(request, profile, allowed);
            } catch (SealFailure failure) {
                // The keyset changed since the check above. The permit must go back, and a circuit takes it back
                // only with a verdict: nothing was sent, so nothing says the provider is down.
                circuit.record(permit, false);
                return CompletableFuture.failedFuture(new CredentialsUnavailable(failure));
            }
            exchange.sent.incrementAndGet();
            long started = ticker.getAsLong();
            return limited(profile, http).whenComplete((response, failure) -> {
                boolean providerDown = failure != null ? isProviderDown(failure) : response.statusCode() >= 500;
                circuit.record(permit, providerDown);
                // A probe that fails tells that the provider is still down, not that this request cannot succeed.
                if (!(permit == ProviderCircuit.Permit.PROBE && providerDown)) {
                    exchange.charged.incrementAndGet();
                }
                metrics.dispatchAttempt(request.provider(), response == null ? "error" : statusClass(response.statusCode()),
                        Duration.ofNanos(ticker.getAsLong() - started));
            });
        }));
    }

    /** Waits, within the request's budget, until the provider's circuit lets an attempt through. */
    private CompletableFuture<ProviderCircuit.Permit> permit(ProviderCircuit circuit, Exchange exchange) {
        ProviderCircuit.Permit permit = circuit.tryAcquire();
        if (permit != ProviderCircuit.Permit.DENIED) {
            return CompletableFuture.completedFuture(permit);
        }
        Duration wait = circuit.retryIn();
        if (ticker.getAsLong() + wait.toNanos() >= exchange.deadline) {
            return CompletableFuture.failedFuture(new CircuitStayedOpen());
        }
        return after(wait).thenCompose(ignored -> permit(circuit, exchange));
    }

    private CompletableFuture<Void> rateLimited(ProviderProfile profile) {
        Optional<RateLimiter<Object>> limiter = rateLimiters.computeIfAbsent(profile.name(), name ->
                profile.dispatch().rateLimit() <= 0 ? Optional.empty() : Optional.of(RateLimiter.smoothBuilder(
                        Duration.ofNanos((long) (1e9 / profile.dispatch().rateLimit()))).build()));
        Duration wait = limiter.map(RateLimiter::reservePermit).orElse(Duration.ZERO);
        return wait.isZero() ? CompletableFuture.completedFuture(null) : after(wait);
    }

    private CompletableFuture<Void> after(Duration wait) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        scheduler.schedule(() -> done.complete(null), wait.toNanos(), TimeUnit.NANOSECONDS);
        return done;
    }

    /**
     * The attempt, cut off after {@code dispatch.timeout} however far it got: {@link HttpRequest#timeout} stops
     * at the headers, and a body that trickles in must not hold an in-flight slot for ever. Cancelling the
     * client's future closes the connection.
     */
    private CompletableFuture<HttpResponse<LimitedBody.Bytes>> limited(ProviderProfile profile, HttpRequest http) {
        CompletableFuture<HttpResponse<LimitedBody.Bytes>> sent = clients.of(profile.name())
                .sendAsync(http, LimitedBody.handler(maxAnswerBytes));
        return sent.copy().orTimeout(profile.dispatch().timeout().toNanos(), TimeUnit.NANOSECONDS)
                .handle((response, failure) -> {
                    if (cause(failure) instanceof TimeoutException) {
                        sent.cancel(true);
                        throw new CompletionException(new HttpTimeoutException("no whole answer within dispatch.timeout"));
                    }
                    if (failure != null) {
                        throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
                    }
                    return response;
                });
    }

    /** Built afresh for every attempt: a PortOne token minted for the first attempt may have expired by the third. */
    private HttpRequest httpRequest(SealedRequest request, ProviderProfile profile, AllowedRequest allowed) throws SealFailure {
        HttpRequest.BodyPublisher body = allowed.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(allowed.body(), StandardCharsets.UTF_8);
        HttpRequest.Builder builder = HttpRequest.newBuilder(allowed.uri()).method(allowed.method(), body);
        allowed.headers().forEach(builder::header);
        credentials.headersFor(request).forEach(builder::setHeader);
        String idempotencyHeader = profile.dispatch().idempotencyHeader();
        if (idempotencyHeader != null) {
            builder.setHeader(idempotencyHeader, IdempotencyKeys.of(request.provider(), request.account(), request.requestId()));
        }
        return builder.build();
    }

    private CallOutcome outcome(SealedRequest request, HttpResponse<LimitedBody.Bytes> response, Throwable failure,
                                Exchange exchange) {
        Throwable cause = cause(failure);
        int attempts = exchange.sent.get();
        if (cause instanceof CredentialsUnavailable unavailable) {
            return new CallOutcome.GaveUp(unavailable.failure.reason(), unavailable.failure.getMessage(), attempts);
        }
        if (cause instanceof CircuitStayedOpen) {
            return new CallOutcome.GaveUp(ReasonCode.RETRIES_EXHAUSTED, "the provider's circuit stayed open until "
                    + "dispatch.maxTotalTime ran out, after " + attempts + " attempt(s)", attempts);
        }
        if (cause instanceof SSLException tls) {
            return new CallOutcome.GaveUp(ReasonCode.TRANSPORT_FAILED, TlsFailure.describe(request.provider(), tls) + " after " + attempts
                    + " attempt(s)", attempts);
        }
        if (cause != null) {
            // The exception's own message can quote a URL or header; its class says enough.
            return new CallOutcome.GaveUp(cause instanceof IOException ? ReasonCode.RETRIES_EXHAUSTED : ReasonCode.TRANSPORT_FAILED,
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
                new String(response.body().bytes(), StandardCharsets.UTF_8), attempts, exchange.dispatchedAt, clock.millis()));
    }

    /** Exponential backoff with jitter, unless the provider said when to come back; never past the time budget. */
    private Duration delay(ExecutionContext<HttpResponse<LimitedBody.Bytes>> context, Dispatch dispatch, Exchange exchange) {
        Duration left = Duration.ofNanos(Math.max(0, exchange.deadline - ticker.getAsLong()));
        Optional<Duration> retryAfter = Optional.ofNullable(context.getLastResult())
                .flatMap(response -> RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock));
        if (retryAfter.isPresent()) {
            return min(retryAfter.get(), left);
        }
        long initial = dispatch.initialBackoff().toMillis();
        long ceiling = Math.min(dispatch.maxBackoff().toMillis(), initial << Math.min(20, Math.max(0, exchange.charged.get() - 1)));
        // "Equal jitter": at least half the backoff, so retries spread out without collapsing to zero.
        return min(Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1)), left);
    }

    private boolean retryAfterBeyond(HttpResponse<LimitedBody.Bytes> response, long deadline) {
        return response != null && retryable(response) && RetryAfter.parse(
                response.headers().firstValue("Retry-After").orElse(null), clock)
                .map(wait -> ticker.getAsLong() + wait.toNanos() > deadline).orElse(false);
    }

    /** No answer at all, or one that says the provider failed; a TLS refusal is about us, not about its being down. */
    private static boolean isProviderDown(Throwable failure) {
        Throwable cause = cause(failure);
        return cause instanceof IOException && !(cause instanceof SSLException);
    }

    private static boolean retryable(HttpResponse<?> response) {
        return response != null && (response.statusCode() >= 500 || response.statusCode() == 429);
    }

    private static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String statusClass(int status) {
        return status == 429 ? "429" : (status / 100) + "xx";
    }

    /** The answer's headers, minus those that carry session state or describe the connection. */
    private static Map<String, String> answerHeaders(HttpResponse<?> response) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.startsWith(":") && !lower.equals("set-cookie") && !lower.equals("connection")
                    && !lower.equals("transfer-encoding") && !lower.equals("keep-alive")) {
                headers.put(name, String.join(", ", values));
            }
        });
        return headers;
    }
}
