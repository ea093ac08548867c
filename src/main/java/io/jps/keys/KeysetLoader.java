package io.jps.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
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
import java.util.stream.Stream;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** Reads one keyset directory into a {@link Keyset}, building every key object through the crypto backend. */
public final class KeysetLoader {

    private static final int CEK_WRAP_KEY_BYTES = 32;
    private static final int MAX_KID_CHARS = 256;

    private final CryptoBackend backend;
    private final KeysetLayout layout;
    private final Map<String, String> environment;

    public KeysetLoader(CryptoBackend backend, KeysetLayout layout, Map<String, String> environment) {
        this.backend = backend;
        this.layout = layout;
        this.environment = Map.copyOf(environment);
    }

    public Keyset load(Path dir, KeysetId id) throws KeysetException {
        if (!Files.isDirectory(dir)) {
            throw new KeysetException("no keyset directory for " + id);
        }
        List<OwnKey> own = new ArrayList<>();
        List<PeerKey> peer = new ArrayList<>();
        Path ownPem = dir.resolve(layout.ownPrivate() + ".pem");
        if (Files.isRegularFile(ownPem)) {
            RSAPrivateKey key = PemFiles.readPrivateKey(ownPem, backend);
            own.add(ownKey(key, pemInfo(ownPem, layout.ownPrivate())));
        }
        Path peerPem = dir.resolve(layout.peerPublic() + ".pem");
        if (Files.isRegularFile(peerPem)) {
            RSAPublicKey key = PemFiles.readPublicKey(peerPem, backend);
            peer.add(peerKey(key, pemInfo(peerPem, layout.peerPublic())));
        }
        for (Path jwks : jwksFiles(dir)) {
            readJwks(jwks, own, peer);
        }
        if (own.isEmpty() && peer.isEmpty()) {
            throw new KeysetException(id + ": no keys (expected " + layout.ownPrivate() + ".pem, "
                    + layout.peerPublic() + ".pem or *" + KeysetLayout.JWKS_SUFFIX + ")");
        }
        Comparator<KeyInfo> newestFirst = Comparator.comparing(KeyInfo::issuedAt).reversed();
        own.sort(Comparator.comparing(OwnKey::info, newestFirst));
        peer.sort(Comparator.comparing(PeerKey::info, newestFirst));
        Path secretsFile = dir.resolve(Secrets.FILE);
        Secrets secrets = Files.isRegularFile(secretsFile) ? Secrets.read(secretsFile, environment) : Secrets.none();
        Path wrapFile = dir.resolve(KeysetLayout.CEK_WRAP_KEY);
        SecretKey cekWrapKey = Files.isRegularFile(wrapFile) ? readCekWrapKey(wrapFile) : null;
        return new Keyset(id, own, peer, secrets, cekWrapKey);
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

    private KeyInfo pemInfo(Path pem, String baseName) throws KeysetException {
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
        return KeyInfo.ofPem(kid, modified(pem), pem.getFileName().toString());
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
                    instant(rsa.getNotBeforeTime(), null), instant(rsa.getExpirationTime(), null),
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
