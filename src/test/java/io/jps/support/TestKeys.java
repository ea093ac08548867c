package io.jps.support;

import io.jps.attest.AttestationKey;
import io.jps.config.ConfigLoader;
import io.jps.config.PipelineConfig;
import io.jps.keys.KeysetGenerator;
import io.jps.profile.ProviderProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * Keysets for every built-in provider and two accounts, and the deployment's attestation key, made once per
 * test JVM (RSA key generation is the slow part) under {@code target/}. Tests that change keys copy a keyset first.
 */
public final class TestKeys {

    public static final List<String> ACCOUNTS = List.of("default", "acme");

    private static Path root;

    private TestKeys() {
    }

    public static synchronized Path root() {
        if (root == null) {
            try {
                Files.createDirectories(Path.of("target"));
                Path dir = Files.createTempDirectory(Path.of("target"), "test-keys-");
                PipelineConfig config = ConfigLoader.defaults();
                for (ProviderProfile profile : config.providers().values()) {
                    for (String account : ACCOUNTS) {
                        KeysetGenerator.generate(profile, account, dir.resolve("keys"), dir.resolve("sandbox-keys"), false);
                    }
                }
                AttestationKey.createIfAbsent(dir.resolve("keys"));
                root = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return root;
    }

    public static Path keys() {
        return root().resolve("keys");
    }

    public static Path sandboxKeys() {
        return root().resolve("sandbox-keys");
    }

    /** A private copy of our keysets, for tests that change or break files. */
    public static Path copy() throws IOException {
        return copy(keys());
    }

    /** A private copy of the sandbox's keysets (the providers' side). */
    public static Path copyOfSandboxKeys() throws IOException {
        return copy(sandboxKeys());
    }

    private static Path copy(Path root) throws IOException {
        Path copy = Files.createTempDirectory(Path.of("target"), "keys-copy-");
        try (var paths = Files.walk(root)) {
            for (Path source : paths.toList()) {
                Path target = copy.resolve(root.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        return copy;
    }

    /** A value of an account's secrets.properties in the shared test keys. */
    public static String secret(String provider, String name) throws IOException {
        String prefix = name + "=";
        return Files.readAllLines(keys().resolve(provider).resolve("default").resolve("secrets.properties")).stream()
                .filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no secret " + name + " for " + provider));
    }
}
