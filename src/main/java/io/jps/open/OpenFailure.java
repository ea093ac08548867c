package io.jps.open;

import io.jps.profile.ReasonCode;

/**
 * An answer that cannot be trusted, and why. The message never holds decrypted content: what failed to
 * verify is exactly what must not leak.
 */
public final class OpenFailure extends Exception {

    private final OpenPhase phase;
    private final ReasonCode reason;

    public OpenFailure(OpenPhase phase, ReasonCode reason, String message) {
        super(message, null, false, false);
        this.phase = phase;
        this.reason = reason;
    }

    public OpenPhase phase() {
        return phase;
    }

    public ReasonCode reason() {
        return reason;
    }

    @Override
    public String toString() {
        return reason + ": " + getMessage();
    }
}
