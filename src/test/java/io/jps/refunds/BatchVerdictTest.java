package io.jps.refunds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exit codes of refunds submit and status: 0 all succeeded, 1 some failed, 2 invalid input, 3 rows missing. */
class BatchVerdictTest {

    @Test
    void everyRowSucceededIsZero() {
        assertThat(BatchVerdict.of(Map.of(RowOutcome.SUCCEEDED, 10), 0).exitCode()).isZero();
    }

    @Test
    void aProviderErrorADeadLetterOrASkippedInvalidRowIsOne() {
        assertThat(BatchVerdict.of(Map.of(RowOutcome.SUCCEEDED, 9, RowOutcome.PROVIDER_ERROR, 1), 0).exitCode()).isEqualTo(1);
        assertThat(BatchVerdict.of(Map.of(RowOutcome.SUCCEEDED, 9, RowOutcome.DEAD_LETTER, 1), 0).exitCode()).isEqualTo(1);
        assertThat(BatchVerdict.of(Map.of(RowOutcome.SUCCEEDED, 9), 1).exitCode()).isEqualTo(1);
    }

    @Test
    void invalidInputIsTwo() {
        assertThat(BatchVerdict.INVALID_INPUT.exitCode()).isEqualTo(2);
    }

    @Test
    void aMissingRowIsThreeWhateverElseHappened() {
        assertThat(BatchVerdict.of(Map.of(RowOutcome.SUCCEEDED, 8, RowOutcome.DEAD_LETTER, 1, RowOutcome.MISSING, 1), 1).exitCode())
                .isEqualTo(3);
    }
}
