package io.jps.attest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The deployment's attestation key, {@code keys/attestation.key}: base64 of 32 random bytes, shared by the
 * seal/open stages and the dispatcher and by nobody else. Whoever can write a topic but does not hold this
 * key cannot make a record the pipeline acts on.
 */
public final class AttestationKey {

    public static final String FILE = "attestation.key";
    static final int BYTES = 32;

    private final SecretKey key;

    private AttestationKey(SecretKey key) {
        this.key = key;
    }

    /** Reads {@code <keysDir>/attestation.key}. */
    public static AttestationKey read(Path keysDir) throws AttestationKeyException {
        Path file = keysDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new AttestationKeyException(file + " is missing: `keys generate` creates it, or write base64 of "
                    + BYTES + " random bytes to it (the same file on every seal/open and dispatcher instance)");
        }
        byte[] bytes;
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            bytes = text.contains("-") || text.contains("_") ? Base64.getUrlDecoder().decode(text) : Base64.getDecoder().decode(text);
        } catch (IOException | IllegalArgumentException e) {
            throw new AttestationKeyException(file + ": expected base64 of " + BYTES + " random bytes");
        }
        if (bytes.length != BYTES) {
            throw new AttestationKeyException(file + ": expected " + BYTES + " bytes, found " + bytes.length);
        }
        return new AttestationKey(new SecretKeySpec(bytes, Attestor.MAC));
    }

    /**
     * Writes a fresh key to {@code <keysDir>/attestation.key} unless one is there already.
     *
     * @return whether a key was written
     */
    public static boolean createIfAbsent(Path keysDir) throws IOException {
        Path file = keysDir.resolve(FILE);
        if (Files.exists(file)) {
            return false;
        }
        Files.createDirectories(keysDir);
        byte[] bytes = new byte[BYTES];
        new SecureRandom().nextBytes(bytes);
        try {
            Files.writeString(file, Base64.getEncoder().encodeToString(bytes) + "\n", StandardCharsets.US_ASCII,
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its ACLs are the operator's to set
        }
        return true;
    }

    SecretKey secretKey() {
        return key;
    }

    @Override
    public String toString() {
        return "AttestationKey[" + FILE + "]";
    }
}
