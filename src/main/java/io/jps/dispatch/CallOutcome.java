package io.jps.dispatch;

import io.jps.profile.ReasonCode;
import io.jps.record.ProviderResponse;

/** How one request's exchange with its provider ended: an answer to record, or a reason to give up. */
sealed interface CallOutcome {

    record Answered(ProviderResponse response) implements CallOutcome {
    }

    record GaveUp(ReasonCode reason, String message, int attempts) implements CallOutcome {
    }
}
