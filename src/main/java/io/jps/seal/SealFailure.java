package io.jps.seal;

import io.jps.profile.ReasonCode;

/** A request that cannot be sealed, and why. The message names fields and files, never payload or key material. */
public final class SealFailure extends Exception {

    private final ReasonCode reason;

    public SealFailure(ReasonCode reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public ReasonCode reason() {
        return reason;
    }
}
