package io.jps.sandbox;

import io.jps.keys.KeyRing;
import io.jps.keys.Keyset;
import io.jps.profile.ProfileValidator;
import io.jps.profile.ProviderProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider side of every keyset under the sandbox keys directory, and which account each identifier
 * ({@link AccountIdentifier}) belongs to. Identifiers are indexed by their SHA-256, so that no credential is held
 * here in the clear. The index is rebuilt when an identifier is not found (an account added while the sandbox
 * runs, a rotated token), at most once per reload interval, so that unknown credentials cannot keep it busy.
 */
final class AccountDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(AccountDirectory.class);

    private final KeyRing keyRing;
    private final Map<String, ProviderProfile> profiles;
    private final Clock clock;
    private final Duration rescanInterval;
    private volatile Index index;

    /** Per provider: its accounts, and identifier hash to account. */
    private record Index(Map<String, List<String>> accounts, Map<String, Map<String, String>> byIdentifier, Instant builtAt) {
    }

    AccountDirectory(KeyRing keyRing, Map<String, ProviderProfile> profiles, Clock clock, Duration rescanInterval) {
        this.keyRing = keyRing;
        this.profiles = Map.copyOf(profiles);
        this.clock = clock;
        this.rescanInterval = rescanInterval;
        this.index = build();
    }

    /** The account whose identifier this is, if any. */
    Optional<String> accountFor(String provider, String identifier) {
        String hash = sha256(identifier);
        String account = index.byIdentifier().getOrDefault(provider, Map.of()).get(hash);
        if (account == null && clock.instant().isAfter(index.builtAt().plus(rescanInterval))) {
            account = rebuild().byIdentifier().getOrDefault(provider, Map.of()).get(hash);
        }
        return Optional.ofNullable(account);
    }

    Optional<Keyset> keyset(String provider, String account) {
        return keyRing.lookup(provider, account).found();
    }

    /** The accounts of a provider whose keysets load, in name order. */
    List<String> accounts(String provider) {
        return index.accounts().getOrDefault(provider, List.of());
    }

    private synchronized Index rebuild() {
        if (clock.instant().isAfter(index.builtAt().plus(rescanInterval))) {
            index = build();
        }
        return index;
    }

    private Index build() {
        Map<String, List<String>> accounts = new HashMap<>();
        Map<String, Map<String, String>> byIdentifier = new HashMap<>();
        for (ProviderProfile profile : profiles.values()) {
            List<String> names = accountDirectories(profile.name()).stream()
                    .filter(account -> keyset(profile.name(), account).isPresent()).toList();
            accounts.put(profile.name(), names);
            AccountIdentifier identifier = AccountIdentifier.of(profile);
            if (identifier == null) {
                continue;
            }
            Map<String, String> owners = new HashMap<>();
            for (String account : names) {
                keyset(profile.name(), account).flatMap(keyset -> keyset.secrets().get(identifier.secretName()))
                        .ifPresent(value -> {
                            String previous = owners.putIfAbsent(sha256(value), account);
                            if (previous != null) {
                                LOG.warn("sandbox {}: accounts {} and {} have the same {}; requests carrying it go to {}",
                                        profile.name(), previous, account, identifier.secretName(), previous);
                            }
                        });
            }
            byIdentifier.put(profile.name(), Map.copyOf(owners));
        }
        return new Index(Map.copyOf(accounts), Map.copyOf(byIdentifier), clock.instant());
    }

    private List<String> accountDirectories(String provider) {
        Path dir = keyRing.root().resolve(provider);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).map(path -> path.getFileName().toString())
                    .filter(name -> ProfileValidator.NAME.matcher(name).matches()).sorted().toList();
        } catch (IOException e) {
            LOG.warn("sandbox {}: cannot list {} ({})", provider, dir, e.getClass().getSimpleName());
            return List.of();
        }
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
