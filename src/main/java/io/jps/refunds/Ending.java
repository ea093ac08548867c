package io.jps.refunds;

/**
 * Where a request of the batch was last seen to end, in the order a request can travel: sealing failed, sending
 * failed, its answer failed to open, or a result. A later stage wins over an earlier one whatever order they are
 * read in: a dead letter replayed with {@code dlq replay} goes on to the next stage, never back.
 */
enum Ending {
    NONE(0, RowOutcome.MISSING),
    REQUEST_DEAD_LETTER(1, RowOutcome.DEAD_LETTER),
    DISPATCH_DEAD_LETTER(2, RowOutcome.DEAD_LETTER),
    ANSWER_DEAD_LETTER(3, RowOutcome.DEAD_LETTER),
    PROVIDER_ERROR(4, RowOutcome.PROVIDER_ERROR),
    SUCCEEDED(4, RowOutcome.SUCCEEDED);

    private final int stage;
    private final RowOutcome outcome;

    Ending(int stage, RowOutcome outcome) {
        this.stage = stage;
        this.outcome = outcome;
    }

    /** Whether this ending says more than {@code current}; of two results (there is only ever one), the first stays. */
    boolean supersedes(Ending current) {
        return stage > current.stage;
    }

    RowOutcome outcome() {
        return outcome;
    }
}
