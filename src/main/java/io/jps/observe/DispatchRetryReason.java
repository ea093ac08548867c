package io.jps.observe;

import java.net.http.HttpTimeoutException;
import java.util.Locale;

/** Why the dispatcher tries a request again: the label {@code reason} of {@code jps_dispatch_retries_total}. */
public enum DispatchRetryReason {
    /** The provider answered 5xx. */
    SERVER_ERROR,
    /** The provider answered 429. */
    RATE_LIMITED,
    /** No answer within the provider's timeout. */
    TIMEOUT,
    /** No answer at all: connection refused, reset or closed. */
    CONNECTION_FAILED;

    /** The reason for retrying an attempt that got HTTP {@code status} (a 5xx or a 429). */
    public static DispatchRetryReason ofStatus(int status) {
        return status == 429 ? RATE_LIMITED : SERVER_ERROR;
    }

    /** The reason for retrying an attempt that failed with {@code failure} instead of an answer. */
    public static DispatchRetryReason ofFailure(Throwable failure) {
        return failure instanceof HttpTimeoutException ? TIMEOUT : CONNECTION_FAILED;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
