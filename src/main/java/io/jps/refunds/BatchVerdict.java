package io.jps.refunds;

import java.util.Map;

/** What a batch came to, as the exit code of {@code refunds submit} and {@code refunds status}. */
public enum BatchVerdict {
    /** Every row of the file succeeded. */
    ALL_SUCCEEDED(0),
    /** Every row is accounted for, and some failed (provider error, dead letter) or were left out as invalid. */
    SOME_FAILED(1),
    /** The file has invalid rows and {@code --skip-invalid} was not given (or nothing valid is left): nothing was sent. */
    INVALID_INPUT(2),
    /** Some rows have no outcome yet: {@code --wait} timed out, or {@code status} found none. */
    ROWS_MISSING(3);

    private final int exitCode;

    BatchVerdict(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** @param skippedInvalid rows of the file that were not sent because they were invalid */
    public static BatchVerdict of(Map<RowOutcome, Integer> counts, long skippedInvalid) {
        if (counts.getOrDefault(RowOutcome.MISSING, 0) > 0) {
            return ROWS_MISSING;
        }
        boolean failed = skippedInvalid > 0 || counts.getOrDefault(RowOutcome.PROVIDER_ERROR, 0) > 0
                || counts.getOrDefault(RowOutcome.DEAD_LETTER, 0) > 0;
        return failed ? SOME_FAILED : ALL_SUCCEEDED;
    }
}
