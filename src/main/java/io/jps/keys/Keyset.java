package io.jps.keys;

import com.nimbusds.jose.jwk.KeyUse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.SecretKey;

/**
 * The keys and secrets of one provider and account. Several keys of a role may be present (rotation):
 * the newest valid one seals, any valid one opens. Keys are chosen by {@code kid} only among these; a
 * {@code kid} that names none of them matches only keys that have no id of their own.
 */
public final class Keyset {

    private final KeysetId id;
    private final List<OwnKey> ownKeys;
    private final List<PeerKey> peerKeys;
    private final Secrets secrets;
    private final SecretKey cekWrapKey;

    Keyset(KeysetId id, List<OwnKey> ownKeys, List<PeerKey> peerKeys, Secrets secrets, SecretKey cekWrapKey) {
        this.id = id;
        this.ownKeys = List.copyOf(ownKeys);
        this.peerKeys = List.copyOf(peerKeys);
        this.secrets = secrets;
        this.cekWrapKey = cekWrapKey;
    }

    public KeysetId id() {
        return id;
    }

    public Secrets secrets() {
        return secrets;
    }

    public Optional<SecretKey> cekWrapKey() {
        return Optional.ofNullable(cekWrapKey);
    }

    /** Our newest valid key allowed to sign. */
    public Optional<OwnKey> signingKey(Instant now) {
        return ownKeys.stream().filter(k -> k.info().validAt(now) && k.info().allows(KeyUse.SIGNATURE)).findFirst();
    }

    /** The other side's newest valid key allowed for encryption. */
    public Optional<PeerKey> encryptionKey(Instant now) {
        return peerKeys.stream().filter(k -> k.info().validAt(now) && k.info().allows(KeyUse.ENCRYPTION)).findFirst();
    }

    public List<OwnKey> decryptionCandidates(String kid, Instant now) {
        return select(ownKeys, OwnKey::info, kid, now, KeyUse.ENCRYPTION);
    }

    public List<PeerKey> verificationCandidates(String kid, Instant now) {
        return select(peerKeys, PeerKey::info, kid, now, KeyUse.SIGNATURE);
    }

    /** Our own newest key's id (what goes in a {@code kid} that names our key pair). */
    public Optional<String> ownKid(Instant now) {
        return signingKey(now).or(() -> ownKeys.stream().findFirst()).map(OwnKey::kid);
    }

    private static <K> List<K> select(List<K> keys, Function<K, KeyInfo> info, String kid, Instant now, KeyUse use) {
        List<K> usable = keys.stream().filter(k -> info.apply(k).validAt(now) && info.apply(k).allows(use)).toList();
        if (kid == null) {
            return usable;
        }
        List<K> named = usable.stream().filter(k -> kid.equals(info.apply(k).kid())).toList();
        return named.isEmpty() ? usable.stream().filter(k -> info.apply(k).kid() == null).toList() : named;
    }

    @Override
    public String toString() {
        return "Keyset[" + id + ": own " + describe(ownKeys, OwnKey::info) + ", peer " + describe(peerKeys, PeerKey::info)
                + ", " + secrets + ", cek-wrap key " + (cekWrapKey == null ? "absent" : "present") + "]";
    }

    private static <K> String describe(List<K> keys, Function<K, KeyInfo> info) {
        return keys.stream().map(k -> String.valueOf(info.apply(k))).collect(Collectors.joining(", ", "[", "]"));
    }
}
