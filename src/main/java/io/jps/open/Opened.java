package io.jps.open;

/**
 * A token that passed every check: its plaintext, and the id of the key that verified its signature (its
 * file name when the key has no id; null when the profile's answers are not signed).
 */
public record Opened(byte[] plaintext, String verifiedKid) {
    @Override
    public String toString() {
        return "Opened[" + plaintext.length + " bytes, verifiedKid=" + verifiedKid + "]";
    }
}
