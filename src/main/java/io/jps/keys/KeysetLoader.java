package io.jps.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.jps.profile.ProviderProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads one keyset directory into a {@link Keyset}, building every key object through the crypto backend, and
 * refuses it unless it holds everything its provider's profile uses ({@link KeyRequirements}).
 */
public final class KeysetLoader {

    private static final int CEK_WRAP_KEY_BYTES = 32;
    private static final int MAX_KID_CHARS = 256;

    private final CryptoBackend backend;
    private final KeysetLayout layout;
    private final Map<String, String> environment;
    private final Map<String, KeyRequirements> requirements;

    /** @param profiles the configured providers: a keyset is loaded only for one of them, and checked against it */
    public KeysetLoader(CryptoBackend backend, KeysetLayout layout, Map<String, String> environment,
                        Map<String, ProviderProfile> profiles) {
        this.backend = backend;
        this.layout = layout;
        this.environment = Map.copyOf(environment);
        this.requirements = profiles.values().stream()
                .collect(Collectors.toUnmodifiableMap(ProviderProfile::name, profile -> KeyRequirements.of(profile, layout)));
    }

    /** The providers whose keysets this loader reads. */
    public Set<String> providers() {
        return requirements.keySet();
    }

    public Keyset load(Path dir, KeysetId id) throws KeysetException {
        KeyRequirements required = requirements.get(id.provider());
        if (required == null) {
            throw new KeysetException("no provider '" + id.provider() + "' is configured");
        }
        if (!Files.isDirectory(dir)) {
            throw new KeysetException("no keyset directory for " + id);
        }
        Path secretsFile = dir.resolve(Secrets.FILE);
        boolean hasSecretsFile = Files.isRegularFile(secretsFile);
        Secrets secrets = hasSecretsFile ? Secrets.read(secretsFile, environment) : Secrets.none();
        List<OwnKey> own = new ArrayList<>();
        List<PeerKey> peer = new ArrayList<>();
        Path ownPem = dir.resolve(layout.ownPrivateFile());
        if (Files.isRegularFile(ownPem)) {
            RSAPrivateKey key = PemFiles.readPrivateKey(ownPem, backend, layout.passphraseSecret(),
                    secrets.get(layout.passphraseSecret()));
            own.add(ownKey(key, pemInfo(ownPem, layout.ownPrivate(), null)));
        }
        Path peerPem = dir.resolve(layout.peerPublicFile());
        if (Files.isRegularFile(peerPem)) {
            PemFiles.PublicKeyPem read = PemFiles.readPublicKey(peerPem, backend);
            peer.add(peerKey(read.key(), pemInfo(peerPem, layout.peerPublic(), read.certificateNotAfter())));
        }
        for (Path jwks : jwksFiles(dir)) {
            readJwks(jwks, own, peer);
        }
        Comparator<KeyInfo> newestFirst = Comparator.comparing(KeyInfo::issuedAt).reversed();
        own.sort(Comparator.comparing(OwnKey::info, newestFirst));
        peer.sort(Comparator.comparing(PeerKey::info, newestFirst));
        Path wrapFile = dir.resolve(KeysetLayout.CEK_WRAP_KEY);
        SecretKey cekWrapKey = Files.isRegularFile(wrapFile) ? readCekWrapKey(wrapFile) : null;
        Keyset keyset = new Keyset(id, layout, own, peer, secrets, cekWrapKey);
        required.check(keyset, hasSecretsFile);
        return keyset;
    }

    /** Names, sizes and modification times of the directory's files: what changes when a keyset does. */
    public static String fingerprint(Path dir) {
        if (!Files.isDirectory(dir)) {
            return "";
        }
        try (Stream<Path> files = Files.list(dir)) {
            StringBuilder print = new StringBuilder();
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                print.append(file.getFileName()).append(':').append(Files.size(file)).append(':')
                        .append(Files.getLastModifiedTime(file).toMillis()).append(';');
            }
            return print.toString();
        } catch (IOException e) {
            return "unreadable:" + e.getClass().getSimpleName();
        }
    }

    private OwnKey ownKey(RSAPrivateKey key, KeyInfo info) {
        return new OwnKey(info, backend.signer(key), backend.decrypter(key));
    }

    private PeerKey peerKey(RSAPublicKey key, KeyInfo info) {
        return new PeerKey(info, key, backend.verifier(key));
    }

    private KeyInfo pemInfo(Path pem, String baseName, Instant certificateNotAfter) throws KeysetException {
        Path kidFile = pem.resolveSibling(baseName + ".kid");
        String kid = null;
        if (Files.isRegularFile(kidFile)) {
            try {
                kid = Files.readString(kidFile, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new KeysetException(kidFile.getFileName() + ": not readable");
            }
            checkKid(kid, kidFile);
            kid = kid.isEmpty() ? null : kid;
        }
        return KeyInfo.ofPem(kid, modified(pem), certificateNotAfter, pem.getFileName().toString());
    }

    private void readJwks(Path file, List<OwnKey> own, List<PeerKey> peer) throws KeysetException {
        JWKSet set;
        try {
            set = JWKSet.load(file.toFile());
        } catch (IOException | ParseException e) {
            throw new KeysetException(file.getFileName() + ": not a JWK Set (" + e.getClass().getSimpleName() + ")");
        }
        Instant fileTime = modified(file);
        for (JWK jwk : set.getKeys()) {
            if (!(jwk instanceof RSAKey rsa)) {
                throw new KeysetException(file.getFileName() + ": key " + jwk.getKeyID() + " is " + jwk.getKeyType()
                        + "; only RSA keys are supported");
            }
            if (rsa.getKeyID() != null) {
                checkKid(rsa.getKeyID(), file);
            }
            KeyInfo info = new KeyInfo(rsa.getKeyID(), rsa.getKeyUse(), rsa.getKeyOperations(), rsa.getAlgorithm(),
                    instant(rsa.getIssueTime(), fileTime),
                    instant(rsa.getNotBeforeTime(), null), instant(rsa.getExpirationTime(), null), null,
                    file.getFileName().toString());
            try {
                if (rsa.size() < PemFiles.MIN_RSA_BITS) {
                    throw new KeysetException(file.getFileName() + ": key " + info.kid() + " has " + rsa.size()
                            + " bits; at least " + PemFiles.MIN_RSA_BITS + " are required");
                }
                if (rsa.isPrivate()) {
                    own.add(ownKey(backend.rsaPrivateKey(rsa.toRSAPrivateKey().getEncoded()), info));
                } else {
                    peer.add(peerKey(backend.rsaPublicKey(rsa.toRSAPublicKey().getEncoded()), info));
                }
            } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
                throw new KeysetException(file.getFileName() + ": key " + info.kid() + " is not a usable RSA key ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
    }

    private static List<Path> jwksFiles(Path dir) throws KeysetException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(KeysetLayout.JWKS_SUFFIX))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new KeysetException(dir.getFileName() + ": directory not readable");
        }
    }

    private static SecretKey readCekWrapKey(Path file) throws KeysetException {
        byte[] key;
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            key = text.contains("-") || text.contains("_")
                    ? Base64.getUrlDecoder().decode(text) : Base64.getDecoder().decode(text);
        } catch (IOException | IllegalArgumentException e) {
            throw new KeysetException(KeysetLayout.CEK_WRAP_KEY + ": expected base64 of " + CEK_WRAP_KEY_BYTES + " random bytes");
        }
        if (key.length != CEK_WRAP_KEY_BYTES) {
            throw new KeysetException(KeysetLayout.CEK_WRAP_KEY + ": expected " + CEK_WRAP_KEY_BYTES + " bytes, found " + key.length);
        }
        return new SecretKeySpec(key, "AES");
    }

    private static void checkKid(String kid, Path file) throws KeysetException {
        if (kid.length() > MAX_KID_CHARS || !kid.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new KeysetException(file.getFileName() + ": a kid is up to " + MAX_KID_CHARS
                    + " visible ASCII characters without spaces");
        }
    }

    private static Instant modified(Path file) throws KeysetException {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            throw new KeysetException(file.getFileName() + ": not readable");
        }
    }

    private static Instant instant(Date date, Instant fallback) {
        return date == null ? fallback : date.toInstant();
    }
}
