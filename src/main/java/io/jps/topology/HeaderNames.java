package io.jps.topology;

/** The record headers of the contract (DESIGN.md, "Records"), named once. */
public final class HeaderNames {

    public static final String REQUEST_ID = "jps.request-id";
    public static final String PROVIDER = "jps.provider";
    public static final String ACCOUNT = "jps.account";
    /**
     * HMAC-SHA256 under {@code keys/attestation.key} over the fields of a sealed request (written by SEAL) or a
     * provider response (written by the dispatcher): the stage that reads the record acts only on a valid one.
     */
    public static final String ATTESTATION = "jps.attestation";

    public static final String ERROR_STAGE = "jps.error.stage";
    public static final String ERROR_REASON = "jps.error.reason";
    public static final String ERROR_MESSAGE = "jps.error.message";
    public static final String ERROR_SOURCE_TOPIC = "jps.error.source-topic";
    public static final String ERROR_SOURCE_PARTITION = "jps.error.source-partition";
    public static final String ERROR_SOURCE_OFFSET = "jps.error.source-offset";

    private HeaderNames() {
    }
}
