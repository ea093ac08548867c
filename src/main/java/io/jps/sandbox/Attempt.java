package io.jps.sandbox;

import io.jps.sandbox.FaultPlan.Fault;
import java.util.Set;

/**
 * One request the sandbox received with an idempotency key, as a test needs to see it.
 *
 * @param number           its attempt number: the n-th request with this key (see {@link FaultPlan})
 * @param account          the account it was identified as; null when it was not
 * @param httpStatus       the status answered; 0 when no answer was given (a hang or a closed connection)
 * @param refusal          why the provider's checks refused it; null when they passed
 * @param faults           the faults injected into it
 * @param directAnswer     whether it was answered with {@code alg: dir}
 * @param tokenFingerprint for profiles whose bearer token is minted per attempt (PortOne's JWT): the first 16 hex
 *                         digits of the token's SHA-256, to tell a fresh token from a reused one; null otherwise
 */
public record Attempt(int number, String provider, String account, int httpStatus, Refusal refusal, Set<Fault> faults,
                      boolean directAnswer, String tokenFingerprint) {

    public Attempt {
        faults = Set.copyOf(faults);
    }
}
