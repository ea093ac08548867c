package io.jps.open;

/** Where opening gave up, which decides the dead-letter topic: decryption or signature. */
public enum OpenPhase {
    /** The body is not the expected sealed form, or could not be decrypted. */
    DECRYPTION,
    /** Decrypted, but the signature is missing, not allowed, from an unknown key, invalid, or expired. */
    SIGNATURE
}
