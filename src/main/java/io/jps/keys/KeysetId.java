package io.jps.keys;

/** A provider and one of our accounts with it: the unit keys are chosen within. */
public record KeysetId(String provider, String account) {
    @Override
    public String toString() {
        return provider + "/" + account;
    }
}
