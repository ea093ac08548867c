package io.jps.sandbox;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.jps.config.PipelineConfig;
import io.jps.keys.CryptoBackend;
import io.jps.keys.KeyRing;
import io.jps.keys.KeysetLayout;
import io.jps.keys.KeysetLoader;
import io.jps.open.JoseOpener;
import io.jps.open.OpenFailure;
import io.jps.profile.Credentials;
import io.jps.profile.ProviderProfile;
import io.jps.sandbox.FaultPlan.Decision;
import io.jps.sandbox.FaultPlan.Fault;
import io.jps.sandbox.FaultPlan.RequestClass;
import io.jps.sandbox.RequestChecks.Accepted;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider sandbox: one HTTP server (on loopback unless {@link SandboxSettings#host()} says otherwise) that plays
 * the server side of every provider profile with real cryptography. Each provider has its own base URL,
 * {@code http://<host>:<port>/<provider>}; below it, any path.
 *
 * <p>A request is checked as its provider would check it ({@link RequestChecks}) and refused in the provider's own
 * error shape ({@link ProviderDialect}); a request that passes is answered as the provider answers, sealed with the
 * provider's keys from the sandbox keys directory and echoing the request, unless the {@link FaultPlan} bends the
 * attempt. Faults come only after the checks: a request that fails them gets the provider's error, never a fault.
 *
 * <p>Delays and hangs are timers, not sleeping threads, so that slow answers do not starve the workers that do the
 * cryptography.
 */
public final class ProviderSandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderSandbox.class);

    /** Pending connections the kernel keeps while the workers are busy: a dispatcher opens many at once. */
    private static final int BACKLOG = 1024;
    private static final int IMPOSTOR_KEY_BITS = 2048;
    private static final int FINGERPRINT_HEX_DIGITS = 16;
    private static final Decision NO_FAULTS = new Decision(RequestClass.CLEAN, Set.of(), false);

    private final SandboxSettings settings;
    private final Map<String, ProviderProfile> profiles;
    private final Map<String, ProviderDialect> dialects;
    private final Endpoints endpoints;
    private final KeyRing keyRing;
    private final AccountDirectory accounts;
    private final RequestChecks checks;
    private final Answers answers;
    private final FaultPlan plan;
    private final int maxRequestBytes;
    private final SandboxLedger ledger = new SandboxLedger();
    private final ExecutorService workers;
    private final ScheduledExecutorService timers;
    private final SandboxListeners listeners;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ProviderSandbox(PipelineConfig config, SandboxSettings settings, SandboxTls tls, Clock clock) throws IOException {
        this.settings = settings;
        this.profiles = Map.copyOf(config.providers());
        this.dialects = profiles.keySet().stream().collect(Collectors.toUnmodifiableMap(name -> name, ProviderDialect::of));
        this.endpoints = new Endpoints(profiles);
        CryptoBackend backend = CryptoBackend.select(config.crypto().provider());
        this.keyRing = new KeyRing(settings.keysDir(),
                new KeysetLoader(backend, KeysetLayout.SANDBOX, System.getenv(), profiles),
                config.keys().reloadInterval(), clock).startWatching();
        this.accounts = new AccountDirectory(keyRing, profiles, clock, config.keys().reloadInterval());
        ProviderCrypto crypto = new ProviderCrypto(profiles, keyRing, backend, clock,
                new JoseOpener(backend, config.open().clockSkew()));
        this.checks = new RequestChecks(crypto, accounts, clock, config.open().clockSkew());
        this.answers = new Answers(crypto, settings.retryAfter(), impostor(backend, settings));
        this.plan = settings.plan();
        this.maxRequestBytes = config.limits().maxRequestBytes();
        this.workers = Executors.newFixedThreadPool(Math.max(16, 4 * Runtime.getRuntime().availableProcessors()),
                daemonThreads("jps-sandbox-worker-"));
        this.timers = Executors.newScheduledThreadPool(2, daemonThreads("jps-sandbox-timer-"));
        this.listeners = SandboxListeners.create(settings.host(), settings.port(), BACKLOG, tls, this::handle, workers);
    }

    /** Starts a sandbox for every provider of {@code config}, with the provider keysets of {@code settings.keysDir()}. */
    public static ProviderSandbox start(PipelineConfig config, SandboxSettings settings, Clock clock) throws IOException {
        return start(config, settings, null, clock);
    }

    /** The same over HTTPS ({@code tls} null: plain HTTP). */
    public static ProviderSandbox start(PipelineConfig config, SandboxSettings settings, SandboxTls tls, Clock clock)
            throws IOException {
        ProviderSandbox sandbox = new ProviderSandbox(config, settings, tls, clock);
        sandbox.listeners.start();
        LOG.info("provider sandbox listening on {} ({})", sandbox.listeners.root(), sandbox.plan);
        return sandbox;
    }

    public int port() {
        return listeners.port();
    }

    /** Where to send a provider's requests: the value for {@code providers.<provider>.baseUrl}. */
    public URI baseUrl(String provider) {
        if (!profiles.containsKey(provider)) {
            throw new IllegalArgumentException("the sandbox plays no provider '" + provider + "'");
        }
        return listeners.baseUrl(provider);
    }

    public Set<String> providers() {
        return new TreeSet<>(profiles.keySet());
    }

    /** The accounts whose provider-side keysets the sandbox holds for a provider, in name order. */
    public List<String> accounts(String provider) {
        return accounts.accounts(provider);
    }

    public FaultPlan plan() {
        return plan;
    }

    public ProviderStats stats(String provider) {
        return ledger.stats(provider);
    }

    /** Every attempt received with this idempotency key, in attempt order. */
    public List<Attempt> attempts(String idempotencyKey) {
        return ledger.attempts(idempotencyKey);
    }

    private void handle(HttpExchange exchange) {
        try {
            serve(exchange);
        } catch (IOException | RuntimeException e) {
            LOG.warn("sandbox: {} {} failed ({})", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    e.getClass().getSimpleName());
            exchange.close();
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        String rawPath = exchange.getRequestURI().getRawPath();
        int slash = rawPath.indexOf('/', 1);
        String provider = slash < 0 ? rawPath.substring(1) : rawPath.substring(1, slash);
        ProviderProfile profile = profiles.get(provider);
        if (profile == null) {
            send(exchange, Reply.json(404, Map.of("error", "no such provider: the sandbox serves " + providers()
                    + " under " + listeners.root() + "<provider>")));
            return;
        }
        if (!listeners.rightPort(provider, exchange)) {
            send(exchange, Reply.json(421, Map.of("error", "provider " + provider + " is served at " + baseUrl(provider))));
            return;
        }
        String query = exchange.getRequestURI().getRawQuery();
        String path = (slash < 0 ? "/" : rawPath.substring(slash)) + (query == null ? "" : "?" + query);
        byte[] body = exchange.getRequestBody().readNBytes(maxRequestBytes + 1);
        IncomingRequest request = new IncomingRequest(exchange.getRequestMethod(), path, firstValues(exchange.getRequestHeaders()), body);
        ledger.received(provider);

        ProviderDialect dialect = dialects.get(provider);
        String idempotencyHeader = profile.dispatch().idempotencyHeader();
        String idempotencyKey = idempotencyHeader == null ? null : request.header(idempotencyHeader);
        int attempt = idempotencyKey == null ? 0 : ledger.nextAttempt(idempotencyKey);
        String reference = reference(idempotencyKey);
        String fingerprint = tokenFingerprint(profile, request);

        Accepted accepted;
        try {
            if (body.length > maxRequestBytes) {
                throw new Refused(Refusal.FORMAT_NOT_SUPPORTED);
            }
            accepted = checks.check(profile, request);
        } catch (Refused refused) {
            Reply reply = dialect.refuse(refused.refusal(), reference);
            ledger.record(idempotencyKey, new Attempt(attempt, provider, refused.account(), reply.status(), refused.refusal(),
                    Set.of(), false, fingerprint));
            LOG.debug("sandbox {}: {} {} refused: {}", provider, request.method(), path, refused.refusal());
            send(exchange, reply);
            return;
        }

        Decision decision = idempotencyKey == null ? NO_FAULTS : plan.decide(idempotencyKey, attempt);
        boolean plain = endpoints.answersPlain(provider, request);
        Set<Fault> faults = Answers.applicable(decision, profile, plain);
        boolean direct = Answers.direct(decision, faults, profile, accepted, plain);
        if (faults.contains(Fault.HANG) || faults.contains(Fault.CONNECTION_RESET)) {
            // No answer is given, so there is no answer to delay either.
            faults.remove(Fault.LATENCY);
            ledger.record(idempotencyKey, new Attempt(attempt, provider, accepted.account(), 0, null, faults, false, fingerprint));
            if (faults.contains(Fault.HANG)) {
                timers.schedule(exchange::close, settings.hangTime().toNanos(), TimeUnit.NANOSECONDS);
            } else {
                // Closed before any header is sent: the JDK server drops the connection, and the client sees it reset.
                exchange.close();
            }
            return;
        }
        Reply reply = answer(profile, dialect, request, accepted, faults, direct, plain, idempotencyKey, reference);
        ledger.record(idempotencyKey, new Attempt(attempt, provider, accepted.account(), reply.status(), null, faults, direct,
                fingerprint));
        LOG.debug("sandbox {}: {} {} attempt {} -> {} {}", provider, request.method(), path, attempt, reply.status(), faults);
        if (faults.contains(Fault.LATENCY)) {
            timers.schedule(() -> send(exchange, reply), settings.latency().toNanos(), TimeUnit.NANOSECONDS);
        } else {
            send(exchange, reply);
        }
    }

    private Reply answer(ProviderProfile profile, ProviderDialect dialect, IncomingRequest request, Accepted accepted,
                         Set<Fault> faults, boolean direct, boolean plain, String idempotencyKey, String reference) {
        try {
            return answers.answer(profile, dialect, request, accepted, faults, direct, plain, idempotencyKey, reference);
        } catch (JOSEException | OpenFailure e) {
            // The sandbox's own keyset lacks what the answer needs: say so here, and fail as a provider would.
            LOG.warn("sandbox {}: cannot seal the answer for account {} ({})", profile.name(), accepted.account(), e.getMessage());
            return dialect.serverError(reference);
        }
    }

    private static void send(HttpExchange exchange, Reply reply) {
        try {
            reply.headers().forEach(exchange.getResponseHeaders()::set);
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        } catch (IOException e) {
            LOG.debug("sandbox: the client left before its answer ({})", e.getClass().getSimpleName());
        } finally {
            exchange.close();
        }
    }

    /** The provider's own id of a request (Socure's {@code eval_id}): the same for every attempt, as an idempotent provider's. */
    private static String reference(String idempotencyKey) {
        return idempotencyKey == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes(("reference/" + idempotencyKey).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String tokenFingerprint(ProviderProfile profile, IncomingRequest request) {
        if (profile.credentials().scheme() != Credentials.Scheme.JWT_HS256) {
            return null;
        }
        String token = AccountIdentifier.bearerToken(request.header(AccountIdentifier.AUTHORIZATION));
        return token == null ? null : AccountDirectory.sha256(token).substring(0, FINGERPRINT_HEX_DIGITS);
    }

    private static Map<String, String> firstValues(Headers headers) {
        Map<String, String> first = new HashMap<>();
        headers.forEach((name, values) -> {
            if (!values.isEmpty()) {
                first.put(name, values.get(0));
            }
        });
        return first;
    }

    /** A key that is no provider's, made only when forged answers are part of the plan (key generation is slow). */
    private static JWSSigner impostor(CryptoBackend backend, SandboxSettings settings) {
        if (settings.faults().of(RequestClass.WRONG_SIGNER) == 0) {
            return null;
        }
        try {
            return backend.signer(backend.generateRsaKeyPair(IMPOSTOR_KEY_BITS).getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the key that signs forged answers", e);
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            listeners.close();
            timers.shutdownNow();
            workers.shutdownNow();
            keyRing.close();
        }
    }

    @Override
    public String toString() {
        return "ProviderSandbox[" + listeners.root() + ", " + plan + "]";
    }
}
