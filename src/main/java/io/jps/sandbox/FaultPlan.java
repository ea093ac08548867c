package io.jps.sandbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which faults the sandbox injects, decided from a seed, the request's idempotency key and the attempt number
 * alone: a pure function, so a run is reproducible whatever order requests arrive in, and a test can tell from
 * an idempotency key how its request will end.
 *
 * <p><b>One class per request.</b> Every idempotency key falls into one {@link RequestClass}, drawn once from a
 * stable hash of (seed, key): the classes take consecutive shares of [0, 1) in declaration order, each as wide as
 * its rate in {@link FaultRates}, and {@code CLEAN} takes what is left. The class fixes what each attempt meets and
 * so, through a dispatcher that retries 5xx, 429, timeouts and closed connections and records 2xx/4xx as they are,
 * how the request ends:
 * <table>
 *   <caption>classes and outcomes</caption>
 *   <tr><th>class</th><th>attempt 1</th><th>later attempts</th><th>final outcome</th></tr>
 *   <tr><td>DOWN</td><td>5xx</td><td>5xx</td><td>retries exhausted: {@code payments.dlq.dispatch}</td></tr>
 *   <tr><td>SERVER_ERROR_ONCE</td><td>5xx</td><td>answered</td><td>succeeds on attempt 2</td></tr>
 *   <tr><td>RATE_LIMITED_ONCE</td><td>429 with Retry-After</td><td>answered</td><td>succeeds on attempt 2</td></tr>
 *   <tr><td>HANG_ONCE</td><td>no answer; the connection is closed after the hang time</td><td>answered</td>
 *       <td>succeeds on attempt 2</td></tr>
 *   <tr><td>RESET_ONCE</td><td>connection closed without an answer</td><td>answered</td><td>succeeds on attempt 2</td></tr>
 *   <tr><td>TAMPERED</td><td colspan="2">answered, one ciphertext character changed</td>
 *       <td>{@code payments.dlq.decryption}, DECRYPT_FAILED</td></tr>
 *   <tr><td>WRONG_SIGNER</td><td colspan="2">answered, correctly encrypted but signed by a key that is not the
 *       provider's (under the provider's kid)</td><td>{@code payments.dlq.signature}, BAD_SIGNATURE</td></tr>
 *   <tr><td>NOT_JOSE</td><td colspan="2">an HTML page with status 200</td>
 *       <td>{@code payments.dlq.decryption}, MALFORMED</td></tr>
 *   <tr><td>CLEAN</td><td colspan="2">answered</td><td>succeeds on attempt 1</td></tr>
 * </table>
 * A fault that means nothing for a profile is not injected there, and the request is answered normally: TAMPERED
 * where answers are not sealed (PortOne), WRONG_SIGNER where they are not signed (Wise, PortOne).
 *
 * <p><b>Independently of the class:</b> each answered attempt is delayed by the configured latency with
 * probability {@link FaultRates#latency()}, drawn from (seed, key, attempt); and a request whose profile accepts
 * {@code alg: dir} answers (Wise) and whose body carried a content key is answered with {@code dir} with
 * probability {@code directAnswerRate}, drawn from (seed, key), whenever it gets a sealed answer. Latency never changes an outcome as long as it
 * stays below the client's timeout; a {@code dir} answer is a valid answer.
 *
 * <p><b>Attempts</b> are numbered from 1 by the sandbox, per idempotency key, in arrival order: the n-th request
 * that carries a key is its attempt n, refused ones included. Requests without an idempotency key meet no faults.
 * A client may resend on its own: the JDK's HttpClient sends an idempotent request (GET) once more when a reused
 * connection closes before any answer, so a GET meeting HANG (with a client timeout longer than the hang time) or
 * CONNECTION_RESET shows the sandbox two attempts where the caller made one.
 */
public final class FaultPlan {

    /** What happens to every attempt of one request; see the class comment for the outcome of each. */
    public enum RequestClass {
        DOWN("down", Fault.SERVER_ERROR, true),
        SERVER_ERROR_ONCE("5xx", Fault.SERVER_ERROR, false),
        RATE_LIMITED_ONCE("429", Fault.RATE_LIMITED, false),
        HANG_ONCE("hang", Fault.HANG, false),
        RESET_ONCE("reset", Fault.CONNECTION_RESET, false),
        TAMPERED("tamper", Fault.TAMPERED, true),
        WRONG_SIGNER("wrong-signer", Fault.WRONG_SIGNER, true),
        NOT_JOSE("not-jose", Fault.NOT_JOSE, true),
        CLEAN("clean", null, false);

        private final String settingName;
        private final Fault fault;
        private final boolean everyAttempt;

        RequestClass(String settingName, Fault fault, boolean everyAttempt) {
            this.settingName = settingName;
            this.fault = fault;
            this.everyAttempt = everyAttempt;
        }

        /** Its name in settings and on the command line ({@code --fault-<name>}). */
        public String settingName() {
            return settingName;
        }

        /** The fault it injects, or null for CLEAN. */
        public Fault fault() {
            return fault;
        }

        /** Whether every attempt meets the fault, or only the first. */
        public boolean everyAttempt() {
            return everyAttempt;
        }
    }

    /** One thing the sandbox does to an attempt that passed the provider's checks. */
    public enum Fault { LATENCY, SERVER_ERROR, RATE_LIMITED, HANG, CONNECTION_RESET, TAMPERED, WRONG_SIGNER, NOT_JOSE }

    /**
     * What one attempt meets.
     *
     * @param faults       at most one fault besides LATENCY
     * @param directAnswer answer with {@code alg: dir} where the profile and the request allow it
     */
    public record Decision(RequestClass requestClass, Set<Fault> faults, boolean directAnswer) {
        public Decision {
            faults = faults.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(faults));
        }

        public boolean has(Fault fault) {
            return faults.contains(fault);
        }
    }

    private final long seed;
    private final FaultRates rates;
    private final double directAnswerRate;

    public FaultPlan(long seed, FaultRates rates, double directAnswerRate) {
        this.seed = seed;
        this.rates = rates;
        this.directAnswerRate = directAnswerRate;
    }

    /** The class of the request with this idempotency key: the same for every attempt. */
    public RequestClass classify(String idempotencyKey) {
        double draw = draw(idempotencyKey, "class");
        double upTo = 0;
        for (RequestClass requestClass : RequestClass.values()) {
            if (requestClass == RequestClass.CLEAN) {
                break;
            }
            upTo += rates.of(requestClass);
            if (draw < upTo) {
                return requestClass;
            }
        }
        return RequestClass.CLEAN;
    }

    /** What attempt {@code attempt} (from 1) of the request with this idempotency key meets. */
    public Decision decide(String idempotencyKey, int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts are numbered from 1");
        }
        RequestClass requestClass = classify(idempotencyKey);
        Set<Fault> faults = EnumSet.noneOf(Fault.class);
        if (requestClass.fault() != null && (requestClass.everyAttempt() || attempt == 1)) {
            faults.add(requestClass.fault());
        }
        if (draw(idempotencyKey, "latency/" + attempt) < rates.latency()) {
            faults.add(Fault.LATENCY);
        }
        return new Decision(requestClass, faults, draw(idempotencyKey, "dir") < directAnswerRate);
    }

    /** A uniform number in [0, 1) from SHA-256 of seed, key and purpose: the same on every JVM and in every order. */
    private double draw(String idempotencyKey, String purpose) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        byte[] hash = sha256.digest((seed + "\n" + idempotencyKey + "\n" + purpose).getBytes(StandardCharsets.UTF_8));
        return (ByteBuffer.wrap(hash).getLong() >>> 11) * 0x1.0p-53;
    }

    @Override
    public String toString() {
        return "seed " + seed + ", " + rates + (directAnswerRate > 0 ? ", dir answers " + directAnswerRate : "");
    }
}
