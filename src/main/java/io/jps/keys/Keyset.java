package io.jps.keys;

import com.nimbusds.jose.Algorithm;
import io.jps.keys.KeyInfo.Purpose;
import java.time.Instant;
import java.util.ArrayList;
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
    private final KeysetLayout layout;
    private final List<OwnKey> ownKeys;
    private final List<PeerKey> peerKeys;
    private final Secrets secrets;
    private final SecretKey cekWrapKey;

    Keyset(KeysetId id, KeysetLayout layout, List<OwnKey> ownKeys, List<PeerKey> peerKeys, Secrets secrets,
           SecretKey cekWrapKey) {
        this.id = id;
        this.layout = layout;
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

    /** Our newest valid key that may sign with {@code algorithm} (null: any). */
    public Optional<OwnKey> signingKey(Algorithm algorithm, Instant now) {
        return ownKeys.stream().filter(k -> k.info().validAt(now) && k.info().permits(Purpose.SIGN, algorithm)).findFirst();
    }

    /** The other side's newest valid key that may be encrypted to with {@code algorithm} (null: any). */
    public Optional<PeerKey> encryptionKey(Algorithm algorithm, Instant now) {
        return peerKeys.stream().filter(k -> k.info().validAt(now) && k.info().permits(Purpose.ENCRYPT, algorithm)).findFirst();
    }

    public List<OwnKey> decryptionCandidates(String kid, Algorithm algorithm, Instant now) {
        return select(ownKeys, OwnKey::info, kid, now, Purpose.DECRYPT, algorithm);
    }

    public List<PeerKey> verificationCandidates(String kid, Algorithm algorithm, Instant now) {
        return select(peerKeys, PeerKey::info, kid, now, Purpose.VERIFY, algorithm);
    }

    /** Whether one of our own keys carries {@code kid}, whatever it may be used for. */
    public boolean hasOwnKid(String kid) {
        return ownKeys.stream().anyMatch(k -> kid.equals(k.kid()));
    }

    /** Whether one of the other side's keys carries {@code kid}, whatever it may be used for. */
    public boolean hasPeerKid(String kid) {
        return peerKeys.stream().anyMatch(k -> kid.equals(k.kid()));
    }

    /** Our own newest key's id (what goes in a {@code kid} that names our key pair). */
    public Optional<String> ownKid(Instant now) {
        return signingKey(null, now).or(() -> ownKeys.stream().findFirst()).map(OwnKey::kid);
    }

    /** Every key that has an end date ({@code exp}, a certificate's {@code notAfter}), as its role's file names it. */
    public List<KeyExpiry> expiries() {
        List<KeyExpiry> expiries = new ArrayList<>();
        ownKeys.forEach(k -> k.info().endOfLife().ifPresent(end ->
                expiries.add(new KeyExpiry(id, layout.ownPrivate(), k.info().label(), end))));
        peerKeys.forEach(k -> k.info().endOfLife().ifPresent(end ->
                expiries.add(new KeyExpiry(id, layout.peerPublic(), k.info().label(), end))));
        return expiries;
    }

    List<KeyInfo> ownKeyInfos() {
        return ownKeys.stream().map(OwnKey::info).toList();
    }

    List<KeyInfo> peerKeyInfos() {
        return peerKeys.stream().map(PeerKey::info).toList();
    }

    private static <K> List<K> select(List<K> keys, Function<K, KeyInfo> info, String kid, Instant now, Purpose purpose,
                                      Algorithm algorithm) {
        List<K> usable = keys.stream()
                .filter(k -> info.apply(k).validAt(now) && info.apply(k).permits(purpose, algorithm)).toList();
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
