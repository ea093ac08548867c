package io.jps.sandbox;

/** A request the provider's checks refused; the account, when the refusal came after it was known. */
final class Refused extends Exception {

    private final Refusal refusal;
    private final String account;

    Refused(Refusal refusal) {
        this(refusal, null);
    }

    Refused(Refusal refusal, String account) {
        super(refusal.name(), null, false, false);
        this.refusal = refusal;
        this.account = account;
    }

    Refusal refusal() {
        return refusal;
    }

    String account() {
        return account;
    }

    Refused at(String knownAccount) {
        return new Refused(refusal, knownAccount);
    }
}
