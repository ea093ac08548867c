package io.jps.dlq;

import io.jps.profile.ReasonCode;
import java.util.Set;

/**
 * Why a dead letter must not simply go back where it came from. Anything but {@link #NONE} is moved only with
 * {@code --force}.
 */
public enum ReplayRisk {
    NONE("replayable"),
    /**
     * The dispatcher gave up after attempts that may have reached the provider (no answer, a 5xx, a timeout, a
     * connection lost after sending): sent again, the provider may act twice.
     */
    MAY_HAVE_REACHED_PROVIDER("needs --force: the provider may have acted on it (sent again, it could pay twice)"),
    /** Refused on purpose: not written by our own stages (UNATTESTED), or a destination that is not allowed. */
    REFUSED_ON_PURPOSE("needs --force: refused on purpose, replaying it changes nothing unless its cause is gone"),
    /**
     * The seal stage's refusal of a requestId it sealed before: the original has its outcome. Replayed after
     * {@code open.dedupRetention}, it would be sealed and sent a second time.
     */
    ALREADY_SEALED("needs --force: its requestId was sealed before; replayed once open.dedupRetention has passed it would be sent again");

    /** The dispatcher's reasons for giving up before any byte went to the provider. */
    private static final Set<String> NEVER_SENT = Set.of(ReasonCode.MALFORMED.name(), ReasonCode.UNKNOWN_PROVIDER.name(),
            ReasonCode.UNKNOWN_ACCOUNT.name(), ReasonCode.NO_KEY.name(), ReasonCode.SEAL_FAILED.name());
    /** REQUEST_NOT_ALLOWED: the dispatcher refuses a destination outside the provider's allowed URLs. */
    private static final Set<String> REFUSED = Set.of(ReasonCode.UNATTESTED.name(), "REQUEST_NOT_ALLOWED");

    private final String description;

    ReplayRisk(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Unknown reasons of the dispatcher count as "may have reached the provider": the safe assumption. */
    public static ReplayRisk of(DeadLetterKind kind, String reason) {
        return switch (kind) {
            case REQUEST -> ReasonCode.DUPLICATE_REQUEST.name().equals(reason) ? ALREADY_SEALED : NONE;
            case DISPATCH -> REFUSED.contains(reason) ? REFUSED_ON_PURPOSE
                    : NEVER_SENT.contains(reason) ? NONE : MAY_HAVE_REACHED_PROVIDER;
            case ANSWER -> REFUSED.contains(reason) ? REFUSED_ON_PURPOSE : NONE;
        };
    }
}
