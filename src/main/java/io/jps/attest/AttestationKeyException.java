package io.jps.attest;

/** The attestation key cannot be read; the message names the file, never the key. */
public final class AttestationKeyException extends Exception {
    public AttestationKeyException(String message) {
        super(message, null, false, false);
    }
}
