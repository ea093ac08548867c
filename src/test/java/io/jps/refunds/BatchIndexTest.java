package io.jps.refunds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The batch's compact index: lookups by id, file order kept, and a later stage's ending winning over an earlier one. */
class BatchIndexTest {

    @Test
    void findsEveryRowByItsIdAndKeepsFileOrder() {
        BatchIndex.Builder builder = BatchIndex.builder();
        for (int i = 0; i < 5_000; i++) {
            builder.add(id(i), i + 2);
        }
        BatchIndex index = builder.build().index();

        assertThat(index.size()).isEqualTo(5_000);
        for (int i = 0; i < 5_000; i++) {
            assertThat(index.find(id(i))).isEqualTo(i);
            assertThat(index.line(i)).isEqualTo(i + 2);
        }
        assertThat(index.find(id(5_000))).isEqualTo(-1);
    }

    @Test
    void aLaterStageEndingWinsWhateverTheOrderItIsReadIn() {
        BatchIndex index = single();

        index.settle(0, Ending.SUCCEEDED, 200, null);
        index.settle(0, Ending.DISPATCH_DEAD_LETTER, 0, "RETRIES_EXHAUSTED");
        assertThat(index.outcome(0)).isEqualTo(RowOutcome.SUCCEEDED);
        assertThat(index.httpStatus(0)).isEqualTo(200);

        BatchIndex replayed = single();
        replayed.settle(0, Ending.ANSWER_DEAD_LETTER, 0, "UNKNOWN_KID");
        assertThat(replayed.outcome(0)).isEqualTo(RowOutcome.DEAD_LETTER);
        assertThat(replayed.reason(0)).isEqualTo("UNKNOWN_KID");
        replayed.settle(0, Ending.SUCCEEDED, 200, null);
        assertThat(replayed.outcome(0)).isEqualTo(RowOutcome.SUCCEEDED);
        assertThat(replayed.reason(0)).isEmpty();
        assertThat(replayed.accounted()).isEqualTo(1);
    }

    @Test
    void countsRowsRefusedAsResubmittedUntilTheirFirstOutcomeIsFound() {
        BatchIndex index = single();

        index.refusedAsDuplicate(0);
        index.refusedAsDuplicate(0);
        assertThat(index.refusedUnaccounted()).isEqualTo(1);
        index.settle(0, Ending.SUCCEEDED, 200, null);
        assertThat(index.refusedUnaccounted()).isZero();
        assertThat(index.allAccounted()).isTrue();
    }

    private static BatchIndex single() {
        BatchIndex.Builder builder = BatchIndex.builder();
        builder.add(id(1), 2);
        return builder.build().index();
    }

    private static RefundId id(int i) {
        return RefundId.derive("juspay", "default", "unique_request_id=rf_" + i);
    }
}
