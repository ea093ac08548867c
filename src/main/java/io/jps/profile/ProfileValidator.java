package io.jps.profile;

import io.jps.config.ConfigException;
import io.jps.config.ConfigLoader;
import java.util.List;
import java.util.Set;
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

    private ProfileValidator() {
    }

    public static void validate(ProviderProfile profile) {
        String at = "providers." + profile.name();
        if (!NAME.matcher(profile.name()).matches()) {
            fail(at, "a provider name is letters, digits, '-' and '_' (it names a directory under keys/)");
        }
        if (profile.baseUrl() == null || !List.of("http", "https").contains(String.valueOf(profile.baseUrl().getScheme()))
                || profile.baseUrl().getHost() == null) {
            fail(at + ".baseUrl", "must be an absolute http or https URL");
        }
        validateSeal(at + ".seal", profile.seal());
        validateOpen(at + ".open", profile.open());
        validateCredentials(at + ".credentials", profile.credentials());
        validateDispatch(at + ".dispatch", profile.dispatch());
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
