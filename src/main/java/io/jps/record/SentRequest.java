package io.jps.record;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What SEAL remembers of a request it sealed, keyed by {@code requestId} in the changelogged store that SEAL and
 * OPEN share: whose request it was (an answer is opened with the keys of this provider and account, never with
 * what the answer claims), which operation, when, and for Wise the request's content key wrapped under the
 * keyset's {@code cek-wrap.key}. Once an answer has decided the request, {@code decision} says how.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SentRequest(
        String provider,
        String account,
        String operation,
        long sealedAt,
        String wrappedCek,
        Decision decision) {

    /** How the request's one outcome was decided, and by which attested answer. */
    public record Decision(Outcome outcome, String attestation, long decidedAt) {
    }

    public enum Outcome {
        /** A result was written: final. */
        RESULT,
        /** The answer went to a dead-letter topic; the same answer replayed once its cause is fixed may still become the result. */
        DEAD_LETTER
    }

    public boolean decided() {
        return decision != null;
    }

    /** A result needs no content key any more: it is dropped from the store as soon as it has served. */
    public SentRequest decidedBy(Decision newDecision) {
        return new SentRequest(provider, account, operation, sealedAt,
                newDecision.outcome() == Outcome.RESULT ? null : wrappedCek, newDecision);
    }

    @Override
    public String toString() {
        return "SentRequest[provider=" + provider + ", account=" + account + ", operation=" + operation + ", sealedAt="
                + sealedAt + ", wrappedCek=" + (wrappedCek == null ? "absent" : "present") + ", decision="
                + (decision == null ? "none" : decision.outcome()) + "]";
    }
}
