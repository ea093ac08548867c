package io.jps.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which dead letters `dlq replay` moves only with --force, and why. */
class ReplayRiskTest {

    @Test
    void aRequestThatWasNeverSentGoesBackFreely() {
        assertThat(ReplayRisk.of(DeadLetterKind.REQUEST, "NO_KEY")).isEqualTo(ReplayRisk.NONE);
        assertThat(ReplayRisk.of(DeadLetterKind.DISPATCH, "UNKNOWN_PROVIDER")).isEqualTo(ReplayRisk.NONE);
        assertThat(ReplayRisk.of(DeadLetterKind.DISPATCH, "NO_KEY")).isEqualTo(ReplayRisk.NONE);
    }

    @Test
    void aRequestTheProviderMayHaveActedOnNeedsForce() {
        assertThat(ReplayRisk.of(DeadLetterKind.DISPATCH, "RETRIES_EXHAUSTED")).isEqualTo(ReplayRisk.MAY_HAVE_REACHED_PROVIDER);
        assertThat(ReplayRisk.of(DeadLetterKind.DISPATCH, "TRANSPORT_FAILED")).isEqualTo(ReplayRisk.MAY_HAVE_REACHED_PROVIDER);
        assertThat(ReplayRisk.of(DeadLetterKind.DISPATCH, "OVERSIZED")).isEqualTo(ReplayRisk.MAY_HAVE_REACHED_PROVIDER);
        assertThat(ReplayRisk.of(DeadLetterKind.DISPATCH, "A_REASON_FROM_A_NEWER_VERSION")).isEqualTo(ReplayRisk.MAY_HAVE_REACHED_PROVIDER);
    }

    @Test
    void whatWasRefusedOnPurposeNeedsForce() {
        assertThat(ReplayRisk.of(DeadLetterKind.DISPATCH, "UNATTESTED")).isEqualTo(ReplayRisk.REFUSED_ON_PURPOSE);
        assertThat(ReplayRisk.of(DeadLetterKind.DISPATCH, "REQUEST_NOT_ALLOWED")).isEqualTo(ReplayRisk.REFUSED_ON_PURPOSE);
        assertThat(ReplayRisk.of(DeadLetterKind.ANSWER, "UNATTESTED")).isEqualTo(ReplayRisk.REFUSED_ON_PURPOSE);
        assertThat(ReplayRisk.of(DeadLetterKind.REQUEST, "DUPLICATE_REQUEST")).isEqualTo(ReplayRisk.ALREADY_SEALED);
    }

    @Test
    void anAnswerThatFailedToOpenGoesBackFreely() {
        assertThat(ReplayRisk.of(DeadLetterKind.ANSWER, "UNKNOWN_KID")).isEqualTo(ReplayRisk.NONE);
        assertThat(ReplayRisk.of(DeadLetterKind.ANSWER, "DECRYPT_FAILED")).isEqualTo(ReplayRisk.NONE);
    }
}
