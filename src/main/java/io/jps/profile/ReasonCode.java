package io.jps.profile;

/**
 * Why a record could not be sealed, dispatched or opened. The names are a contract: they appear in the
 * {@code jps.error.reason} header of every dead-letter record, in metrics and on the {@code open}
 * command's stderr, so they never change meaning once published.
 */
public enum ReasonCode {
    /** Not UTF-8, not JSON, a required field missing or of the wrong type, a part that is not base64url. */
    MALFORMED,
    /** Larger than the configured limit; refused before any parsing or cryptography. */
    OVERSIZED,
    /** The request names a provider that has no profile. */
    UNKNOWN_PROVIDER,
    /** The provider has no keyset for this account, or the account name is not a plain name. */
    UNKNOWN_ACCOUNT,
    /** The request names an operation that the provider's operation table does not hold. */
    UNKNOWN_OPERATION,
    /** The keyset lacks a key or secret that this profile needs. */
    NO_KEY,
    /** The cryptographic operation itself failed on our side (sealing). */
    SEAL_FAILED,
    /** A JOSE {@code alg} or {@code enc} outside the profile's allow-list (including {@code none}, HMAC, RSA1_5, dir). */
    ALG_NOT_ALLOWED,
    /** A {@code crit} parameter we do not understand, or a {@code zip} header. */
    UNSUPPORTED_HEADER,
    /** A {@code kid} that names no key of this provider and account. */
    UNKNOWN_KID,
    /** No key of the keyset decrypts it: wrong recipient, tampered tag, iv, ciphertext, key or header. */
    DECRYPT_FAILED,
    /** The profile expects a signed answer and the decrypted content is not a JWS. */
    MISSING_SIGNATURE,
    /** The signature does not verify with any key of the provider for this account. */
    BAD_SIGNATURE,
    /** The answer's {@code exp} has passed or its {@code iat} lies outside the accepted window. */
    EXPIRED,
    /**
     * Not the record's fault as far as we can tell: an unexpected error while processing or producing it. The
     * record is kept in the dead-letter topic so that it can be replayed once the cause is fixed.
     */
    PROCESSING_FAILED,
    /** Every attempt failed and the retry budget (attempts or total time) is spent. */
    RETRIES_EXHAUSTED,
    /** The request could not be sent and sending it again would not help (bad URL, refused TLS, ...). */
    TRANSPORT_FAILED,
    /**
     * An answer to no request we sealed, or for another provider or account than the request was sealed for: it
     * decides nothing, and the request keeps waiting for its genuine answer.
     */
    UNSOLICITED,
    /**
     * A record without a valid {@code jps.attestation}: not written by our dispatcher (an answer) or by our seal
     * stage (a sealed request), or changed since. Nothing is opened or sent on its word.
     */
    UNATTESTED,
    /** A {@code requestId} that was sealed before (within {@code open.dedupRetention}): it is not sent twice. */
    DUPLICATE_REQUEST
}
