package io.jps.keys;

/** A keyset that cannot be used; the message names the file and the problem, never key material or secrets. */
public final class KeysetException extends Exception {
    public KeysetException(String message) {
        super(message, null, false, false);
    }
}
