package io.jps.refunds;

/** A row's outcome as the reconciliation report states it. */
public enum RowOutcome {
    SUCCEEDED, PROVIDER_ERROR, DEAD_LETTER, MISSING
}
