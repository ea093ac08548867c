package io.jps.profile;

import io.jps.config.ConfigException;
import io.jps.config.ConfigLoader;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Refuses, at start, a profile that could not work or would be unsafe: an algorithm outside what this
 * product supports (never {@code none}, HMAC for RSA keys, or RSA1_5), a wire form without the token it
 * needs, credentials that name no secret.
 */
public final class ProfileValidator {

    /** Provider and account names double as directory names under {@code keys/}: no separators, no dots first. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public static final Set<String> SIGNATURE_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512");
    public static final Set<String> KEY_ALGORITHMS = Set.of("RSA-OAEP", "RSA-OAEP-256", "RSA-OAEP-384", "RSA-OAEP-512");
    public static final Set<String> CONTENT_ALGORITHMS =
            Set.of("A128GCM", "A192GCM", "A256GCM", "A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512");
    private static final Pattern METHOD = Pattern.compile("GET|POST|PUT|PATCH|DELETE");
    /** RFC 9110 token characters. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> RESERVED_HEADERS = Set.of("Host", "Connection", "Content-Length", "Transfer-Encoding",
            "Expect", "Upgrade", "Keep-Alive", "Proxy-Authorization", "TE", "Trailer", "Authorization");

    private ProfileValidator() {
    }

    public static void validate(ProviderProfile profile) {
        String at = "providers." + profile.name();
        if (!NAME.matcher(profile.name()).matches()) {
            fail(at, "a provider name is letters, digits, '-' and '_' (it names a directory under keys/)");
        }
        validateTransport(at, profile);
        validateSeal(at + ".seal", profile.seal());
        validateOpen(at + ".open", profile.open());
        validateCredentials(at + ".credentials", profile.credentials());
        validateDispatch(at + ".dispatch", profile.dispatch());
        validateHeaderNames(at, profile);
        profile.operations().forEach((name, op) -> {
            String key = at + ".operations." + name;
            if (op == null || op.method() == null || !METHOD.matcher(op.method()).matches()) {
                fail(key + ".method", "must be one of GET, POST, PUT, PATCH, DELETE");
            }
            if (op.path() == null || !op.path().startsWith("/")) {
                fail(key + ".path", "must start with '/'");
            }
        });
    }

    /**
     * Where and how requests leave: an https base URL unless plain http is asked for by name (credentials would
     * travel in clear text), nothing in it that the dispatcher could not keep fixed, and TLS settings that fit.
     */
    private static void validateTransport(String at, ProviderProfile profile) {
        URI baseUrl = profile.baseUrl();
        if (baseUrl == null || !List.of("http", "https").contains(String.valueOf(baseUrl.getScheme()))
                || baseUrl.getHost() == null) {
            fail(at + ".baseUrl", "must be an absolute http or https URL");
        }
        if (baseUrl.getRawUserInfo() != null || baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            fail(at + ".baseUrl", "must be scheme, host, optional port and optional path only (no user info, query or fragment)");
        }
        if (!baseUrl.normalize().getRawPath().equals(baseUrl.getRawPath())) {
            fail(at + ".baseUrl", "its path must not hold '.' or '..' segments");
        }
        boolean plain = baseUrl.getScheme().equals("http");
        if (plain && !profile.allowPlainHttp()) {
            fail(at + ".baseUrl", "'" + baseUrl + "' is plain http: every request and its credentials would travel in clear "
                    + "text. Use https, or set " + at + ".allowPlainHttp: true for a loopback sandbox");
        }
        ProviderTls tls = profile.tls();
        if (plain && !tls.isDefault()) {
            fail(at + ".tls", "set for a plain http baseUrl, where no TLS is spoken");
        }
        if ((tls.clientCertificate() == null) != (tls.clientKey() == null)) {
            fail(at + ".tls.clientKey", "tls.clientCertificate and tls.clientKey go together: set both or neither");
        }
        if (profile.proxy() != null) {
            URI proxy = proxyUri(profile.proxy());
            if (proxy == null || proxy.getHost() == null || proxy.getPort() < 1 || proxy.getRawUserInfo() != null
                    || !proxy.getRawPath().isEmpty() || proxy.getRawQuery() != null || proxy.getRawFragment() != null) {
                fail(at + ".proxy", "must be host:port");
            }
        }
    }

    /** The proxy setting as a URI, whose parser knows host names, IPv4 and bracketed IPv6; null when it is none of them. */
    public static URI proxyUri(String hostAndPort) {
        try {
            return new URI("http://" + hostAndPort);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /**
     * The dispatcher sends a record's headers only under these names and sets the framing, the host, the
     * credentials and the idempotency key itself: a profile may not name those.
     */
    private static void validateHeaderNames(String at, ProviderProfile profile) {
        Set<String> reserved = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        reserved.addAll(RESERVED_HEADERS);
        if (profile.dispatch().idempotencyHeader() != null) {
            reserved.add(profile.dispatch().idempotencyHeader());
        }
        headerNames(at + ".headers", profile.headers().keySet(), reserved);
        headerNames(at + ".headersFromSecrets", profile.headersFromSecrets().keySet(), reserved);
    }

    private static void headerNames(String key, Set<String> names, Set<String> reserved) {
        for (String name : names) {
            if (!HEADER_NAME.matcher(name).matches()) {
                fail(key, "'" + Printable.of(name) + "' is not a header name");
            }
            if (reserved.contains(name)) {
                fail(key, name + " is set by the dispatcher itself");
            }
        }
    }

    private static void validateSeal(String at, RequestSeal seal) {
        if (seal.signs()) {
            oneOf(at + ".signature", seal.signature(), SIGNATURE_ALGORITHMS);
        }
        if (seal.encrypts()) {
            oneOf(at + ".encryption", seal.encryption(), KEY_ALGORITHMS);
            oneOf(at + ".contentEncryption", seal.contentEncryption(), CONTENT_ALGORITHMS);
        }
        if (seal.wireForm().isSealed() != (seal.signs() || seal.encrypts())) {
            fail(at + ".wireForm", "'" + seal.wireForm().wireName() + "' does not fit "
                    + (seal.wireForm().isSealed() ? "an unsealed request" : "a signed or encrypted request"));
        }
        if (seal.wireForm() == WireForm.JUSPAY_FIELDS && !seal.encrypts()) {
            fail(at + ".wireForm", "juspay-fields carries the five parts of a JWE: set an encryption");
        }
        if (seal.wireForm() == WireForm.ENVELOPE && blank(seal.envelopeField())) {
            fail(at + ".envelopeField", "required for the envelope wire form");
        }
        if (seal.wrapCek() && !seal.encrypts()) {
            fail(at + ".wrapCek", "only an encrypted request has a content key to keep");
        }
        if (!seal.signs() && seal.signatureKid() != KidSource.MERCHANT && seal.signatureKid() != KidSource.NONE) {
            fail(at + ".signatureKid", "a signature's kid names our own key (merchant) or nothing (none)");
        }
    }

    private static void validateOpen(String at, AnswerOpening open) {
        open.encryption().forEach(alg -> oneOf(at + ".encryption", alg, KEY_ALGORITHMS));
        open.contentEncryption().forEach(enc -> oneOf(at + ".contentEncryption", enc, CONTENT_ALGORITHMS));
        open.signature().forEach(alg -> oneOf(at + ".signature", alg, SIGNATURE_ALGORITHMS));
        if (open.decrypts() && open.contentEncryption().isEmpty()) {
            fail(at + ".contentEncryption", "list at least one when answers are encrypted");
        }
        if (open.wireForm().isSealed() != (open.decrypts() || open.verifies())) {
            fail(at + ".wireForm", "'" + open.wireForm().wireName() + "' does not fit "
                    + (open.wireForm().isSealed() ? "answers that are neither encrypted nor signed" : "sealed answers"));
        }
        if (open.wireForm() == WireForm.JUSPAY_FIELDS && !open.decrypts()) {
            fail(at + ".wireForm", "juspay-fields carries the five parts of a JWE: list an encryption");
        }
        if (open.wireForm() == WireForm.ENVELOPE && blank(open.envelopeField())) {
            fail(at + ".envelopeField", "required for the envelope wire form");
        }
        if (open.maxAge() != null && !ConfigLoader.isPositive(open.maxAge())) {
            fail(at + ".maxAge", "must be a positive duration");
        }
    }

    private static void validateDispatch(String at, Dispatch dispatch) {
        if (dispatch == null) {
            fail(at, "missing (start from another provider with `like:` to inherit its settings)");
        }
        if (dispatch.idempotencyHeader() != null && !dispatch.idempotencyHeader().matches("[A-Za-z0-9-]+")) {
            fail(at + ".idempotencyHeader", "must be a header name");
        }
        if (!ConfigLoader.isPositive(dispatch.timeout())) {
            fail(at + ".timeout", "must be a positive duration");
        }
        if (dispatch.maxAttempts() < 1) {
            fail(at + ".maxAttempts", "must be at least 1");
        }
        if (!ConfigLoader.isPositive(dispatch.maxTotalTime())) {
            fail(at + ".maxTotalTime", "must be a positive duration");
        }
        if (!ConfigLoader.isPositive(dispatch.initialBackoff()) || !ConfigLoader.isPositive(dispatch.maxBackoff())
                || dispatch.maxBackoff().compareTo(dispatch.initialBackoff()) < 0) {
            fail(at + ".maxBackoff", "initialBackoff and maxBackoff must be positive, maxBackoff not below initialBackoff");
        }
        if (dispatch.rateLimit() < 0) {
            fail(at + ".rateLimit", "must be 0 (unlimited) or more");
        }
        if (dispatch.maxInFlight() < 1) {
            fail(at + ".maxInFlight", "must be at least 1");
        }
        CircuitBreakerSettings circuit = dispatch.circuitBreaker();
        if (circuit == null) {
            fail(at + ".circuitBreaker", "missing");
        }
        if (circuit.failureRate() < 1 || circuit.failureRate() > 100) {
            fail(at + ".circuitBreaker.failureRate", "must be a percentage from 1 to 100");
        }
        if (circuit.minimumAttempts() < 1) {
            fail(at + ".circuitBreaker.minimumAttempts", "must be at least 1");
        }
        if (circuit.window() == null || circuit.window().compareTo(Duration.ofSeconds(1)) < 0) {
            fail(at + ".circuitBreaker.window", "must be at least PT1S");
        }
        if (!ConfigLoader.isPositive(circuit.openFor())) {
            fail(at + ".circuitBreaker.openFor", "must be a positive duration");
        }
    }

    private static void validateCredentials(String at, Credentials credentials) {
        switch (credentials.scheme()) {
            case NONE -> { }
            case BEARER -> {
                if (blank(credentials.secret())) {
                    fail(at + ".secret", "bearer credentials name the secret that holds the token");
                }
            }
            case JWT_HS256 -> {
                if (blank(credentials.issuer())) {
                    fail(at + ".issuer", "required for jwt-hs256");
                }
                if (blank(credentials.subjectSecret())) {
                    fail(at + ".subjectSecret", "required for jwt-hs256");
                }
                if (blank(credentials.hmacSecret())) {
                    fail(at + ".hmacSecret", "required for jwt-hs256");
                }
                if (!ConfigLoader.isPositive(credentials.lifetime())) {
                    fail(at + ".lifetime", "must be a positive duration");
                }
            }
        }
    }

    private static void oneOf(String key, String value, Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            fail(key, "'" + value + "' is not supported (one of " + String.join(", ", allowed.stream().sorted().toList()) + ")");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static void fail(String key, String problem) {
        throw new ConfigException("configuration key " + key + ": " + problem);
    }
}
