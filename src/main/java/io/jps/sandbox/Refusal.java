package io.jps.sandbox;

import io.jps.open.OpenFailure;
import io.jps.open.OpenPhase;
import io.jps.profile.ReasonCode;

/**
 * Why the sandbox refused a request, as the provider would: each provider words it in its own error shape
 * ({@link ProviderDialect}); the code and message here are what a provider without documented wording says.
 */
public enum Refusal {
    /** The credential that names the account (merchant id, client key, bearer token) is missing or of no account. */
    UNKNOWN_CREDENTIAL("unauthorized", "missing or unknown credentials"),
    /** The bearer JWT is not one: not HS256, bad signature, wrong issuer or subject, a lifetime over the limit. */
    BAD_TOKEN("invalid_token", "the bearer token is not valid"),
    /** The bearer JWT's {@code exp} has passed. */
    TOKEN_EXPIRED("token_expired", "the bearer token has expired"),
    /** A documented request header is missing or has another value. */
    HEADER_MISMATCH("invalid_headers", "a required header is missing or has an unexpected value"),
    /** The body is not in the provider's format (not the expected JSON object, missing, too large). */
    FORMAT_NOT_SUPPORTED("invalid_format", "the body is not in the expected format"),
    /** The token in the body is not a readable JWE. */
    NOT_JWE("invalid_jwe", "the encrypted payload is not a JWE"),
    /** The JWE's {@code url} protected header names another path than the one requested (Wise). */
    URL_MISMATCH("url_mismatch", "the url in the JWE protected header does not match the request path"),
    /** No key of the provider decrypts it, or its algorithms are not the provider's. */
    DECRYPT_FAILED("decryption_failed", "the payload could not be decrypted"),
    /** Decrypted, but what is inside is not a JWS. */
    NOT_JWS("invalid_jws", "the signed payload is not a JWS"),
    /** The JWS does not verify with the merchant's public key. */
    BAD_SIGNATURE("invalid_signature", "the payload signature could not be verified");

    private final String code;
    private final String message;

    Refusal(String code, String message) {
        this.code = code;
        this.message = message;
    }

    public String code() {
        return code;
    }

    public String message() {
        return message;
    }

    /** Whether it is about who is calling rather than what was sent (HTTP 401 where the provider says so). */
    public boolean isAuthentication() {
        return this == UNKNOWN_CREDENTIAL || this == BAD_TOKEN || this == TOKEN_EXPIRED;
    }

    /** The refusal for a request that {@link ProviderCrypto#openRequest} could not open. */
    static Refusal of(OpenFailure failure) {
        if (ProviderCrypto.URL_MISMATCH.equals(failure.getMessage())) {
            return URL_MISMATCH;
        }
        boolean unreadable = failure.reason() == ReasonCode.MALFORMED || failure.reason() == ReasonCode.MISSING_SIGNATURE;
        if (failure.phase() == OpenPhase.DECRYPTION) {
            return unreadable ? NOT_JWE : DECRYPT_FAILED;
        }
        return unreadable ? NOT_JWS : BAD_SIGNATURE;
    }
}
