package io.jps.topology;

/** The record headers of the contract (DESIGN.md, "Records"), named once. */
public final class HeaderNames {

    public static final String REQUEST_ID = "jps.request-id";
    public static final String PROVIDER = "jps.provider";
    public static final String ACCOUNT = "jps.account";
    /** When the request was sealed (epoch millis), carried to the result. */
    public static final String SEALED_AT = "jps.sealed-at";
    /** The request's content key, AES-wrapped under the keyset's local cek-wrap.key (Wise {@code alg: dir} answers). */
    public static final String CEK_WRAPPED = "jps.cek-wrapped";

    public static final String ERROR_STAGE = "jps.error.stage";
    public static final String ERROR_REASON = "jps.error.reason";
    public static final String ERROR_MESSAGE = "jps.error.message";
    public static final String ERROR_SOURCE_TOPIC = "jps.error.source-topic";
    public static final String ERROR_SOURCE_PARTITION = "jps.error.source-partition";
    public static final String ERROR_SOURCE_OFFSET = "jps.error.source-offset";

    private HeaderNames() {
    }
}
