package io.jps.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.jps.config.ConfigLoader;
import io.jps.profile.ProviderProfile;
import io.jps.support.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyRingTest {

    private static final Map<String, ProviderProfile> PROFILES = ConfigLoader.defaults().providers();

    private final CryptoBackend backend = CryptoBackend.select("auto");
    private final KeysetLoader loader = new KeysetLoader(backend, KeysetLayout.MERCHANT, Map.of(), PROFILES);

    @Test
    void readsPkcs1AndPkcs8PrivateKeysAlike() throws Exception {
        Path dir = copy("juspay");
        String pkcs1 = Files.readString(dir.resolve("merchant-private.pem"));
        assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        Keyset fromPkcs1 = loader.load(dir, new KeysetId("juspay", "default"));

        RSAPrivateKey key = (RSAPrivateKey) fromPkcs1.signingKey(null, Instant.now()).orElseThrow().decrypter().getPrivateKey();
        Files.writeString(dir.resolve("merchant-private.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Keyset fromPkcs8 = loader.load(dir, new KeysetId("juspay", "default"));

        byte[] payload = "same key".getBytes(StandardCharsets.UTF_8);
        var signer1 = fromPkcs1.signingKey(null, Instant.now()).orElseThrow().signer();
        var signer8 = fromPkcs8.signingKey(null, Instant.now()).orElseThrow().signer();
        var header = new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.RS256);
        assertThat(signer8.sign(header, payload)).isEqualTo(signer1.sign(header, payload));
    }

    @Test
    void readsTheProviderKeyFromAnX509Certificate() throws Exception {
        Path dir = copy("socure");
        assertThat(Files.readString(dir.resolve("provider-public.pem"))).startsWith("-----BEGIN CERTIFICATE-----");

        Keyset keyset = loader.load(dir, new KeysetId("socure", "default"));

        assertThat(keyset.encryptionKey(null, Instant.now())).isPresent();
    }

    @Test
    void sealsWithTheNewestKeyAndOpensWithAnyDuringRotation() throws Exception {
        Path dir = copy("juspay");
        RSAKey next = newRsaJwk("next-key", Instant.now().plusSeconds(60));
        Files.writeString(dir.resolve("rotation.jwks.json"), new JWKSet(next).toString(false));

        Keyset keyset = loader.load(dir, new KeysetId("juspay", "default"));

        assertThat(keyset.signingKey(null, Instant.now()).orElseThrow().kid()).isEqualTo("next-key");
        String oldKid = Files.readString(dir.resolve("merchant-private.kid")).trim();
        assertThat(keyset.decryptionCandidates(oldKid, null, Instant.now())).hasSize(1);
        assertThat(keyset.decryptionCandidates("next-key", null, Instant.now())).hasSize(1);
        assertThat(keyset.decryptionCandidates(null, null, Instant.now())).hasSize(2);
    }

    @Test
    void choosesByKidOnlyWithinTheKeysetAndNeverAKeyOfAnotherKid() throws Exception {
        Keyset keyset = loader.load(copy("wise"), new KeysetId("wise", "default"));

        assertThat(keyset.decryptionCandidates("a-kid-of-another-keyset", null, Instant.now())).isEmpty();
        assertThat(keyset.verificationCandidates("a-kid-of-another-keyset", null, Instant.now())).isEmpty();
    }

    @Test
    void honoursJwkUseAndValidityWindow() throws Exception {
        Path dir = copy("wise");
        RSAKey expired = new RSAKey.Builder(newRsaJwk("expired", Instant.now().minusSeconds(7200)))
                .expirationTime(Date.from(Instant.now().minusSeconds(3600))).build();
        RSAKey signOnly = new RSAKey.Builder(newRsaJwk("sign-only", Instant.now().plusSeconds(10)))
                .keyUse(KeyUse.SIGNATURE).build();
        Files.writeString(dir.resolve("extra.jwks.json"), new JWKSet(java.util.List.of(expired, signOnly)).toString(false));

        Keyset keyset = loader.load(dir, new KeysetId("wise", "default"));

        assertThat(keyset.decryptionCandidates("expired", null, Instant.now())).isEmpty();
        assertThat(keyset.decryptionCandidates("sign-only", null, Instant.now())).isEmpty();
        assertThat(keyset.signingKey(null, Instant.now()).orElseThrow().kid()).isEqualTo("sign-only");
    }

    @Test
    void picksUpAChangedKeysetWithoutARestart() throws Exception {
        Path root = copyRoot("wise");
        Path dir = root.resolve("wise/default");
        try (KeyRing ring = new KeyRing(root, loader, Duration.ofMillis(50), Clock.systemUTC())) {
            String before = ring.lookup("wise", "default").found().orElseThrow().ownKid(Instant.now()).orElseThrow();

            Files.writeString(dir.resolve("merchant-private.kid"), "rotated-kid\n");
            touch(dir.resolve("merchant-private.kid"));
            ring.refreshAll();

            assertThat(ring.lookup("wise", "default").found().orElseThrow().ownKid(Instant.now())).contains("rotated-kid");
            assertThat(before).isNotEqualTo("rotated-kid");
        }
    }

    @Test
    void keepsTheLastGoodKeysetWhenAFileBreaksAndSaysWhich() throws Exception {
        Path root = copyRoot("juspay");
        Path dir = root.resolve("juspay/default");
        try (KeyRing ring = new KeyRing(root, loader, Duration.ofMillis(50), Clock.systemUTC())) {
            Keyset good = ring.lookup("juspay", "default").found().orElseThrow();

            Files.writeString(dir.resolve("merchant-private.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
            touch(dir.resolve("merchant-private.pem"));
            ring.refreshAll();

            assertThat(ring.lookup("juspay", "default").found()).containsSame(good);
            assertThat(ring.problems()).containsKey(new KeysetId("juspay", "default"));
            assertThat(ring.problems().get(new KeysetId("juspay", "default"))).contains("merchant-private.pem");
        }
    }

    @Test
    void reportsABrokenKeysetThatNeverLoaded() throws Exception {
        Path root = copyRoot("juspay");
        Files.writeString(root.resolve("juspay/default/provider-public.pem"), "not pem at all");
        try (KeyRing ring = new KeyRing(root, loader, Duration.ofMillis(50), Clock.systemUTC())) {
            KeysetLookup lookup = ring.lookup("juspay", "default");

            assertThat(lookup).isInstanceOfSatisfying(KeysetLookup.Broken.class,
                    broken -> assertThat(broken.problem()).contains("provider-public.pem"));
        }
    }

    @Test
    void readsSecretsFromTheEnvironmentWhenTheFileSaysSo() throws Exception {
        Path dir = copy("wise");
        Files.writeString(dir.resolve("secrets.properties"), "api-token=env:WISE_API_TOKEN\n");

        Keyset keyset = new KeysetLoader(backend, KeysetLayout.MERCHANT, Map.of("WISE_API_TOKEN", "tok-123"), PROFILES)
                .load(dir, new KeysetId("wise", "default"));
        assertThat(keyset.secrets().get("api-token")).contains("tok-123");

        assertThatThrownBy(() -> loader.load(dir, new KeysetId("wise", "default")))
                .isInstanceOf(KeysetException.class).hasMessageContaining("WISE_API_TOKEN").hasMessageContaining("api-token");
    }

    @Test
    void refusesWeakPasswordProtectedAndMisplacedKeys() throws Exception {
        Path dir = copy("juspay");
        KeyPairGenerator weak = KeyPairGenerator.getInstance("RSA");
        weak.initialize(1024);
        Files.writeString(dir.resolve("merchant-private.pem"), pem("PRIVATE KEY", weak.generateKeyPair().getPrivate().getEncoded()));
        assertThatThrownBy(() -> loader.load(dir, new KeysetId("juspay", "default")))
                .isInstanceOf(KeysetException.class).hasMessageContaining("1024 bits");

        Files.writeString(dir.resolve("merchant-private.pem"), pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x00}));
        assertThatThrownBy(() -> loader.load(dir, new KeysetId("juspay", "default")))
                .isInstanceOf(KeysetException.class).hasMessageContaining("merchant-private.pem");

        Files.copy(TestKeys.keys().resolve("juspay/default/provider-public.pem"), dir.resolve("merchant-private.pem"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> loader.load(dir, new KeysetId("juspay", "default")))
                .isInstanceOf(KeysetException.class).hasMessageContaining("no private key");
    }

    private static RSAKey newRsaJwk(String kid, Instant issued) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var pair = generator.generateKeyPair();
        return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey(pair.getPrivate()).keyID(kid)
                .issueTime(Date.from(issued)).build();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void touch(Path file) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    }

    private static Path copy(String provider) throws Exception {
        return copyRoot(provider).resolve(provider).resolve("default");
    }

    private static Path copyRoot(String provider) throws Exception {
        Path root = Files.createTempDirectory(Path.of("target"), "keyring-");
        Path target = root.resolve(provider).resolve("default");
        Files.createDirectories(target);
        try (var files = Files.list(TestKeys.keys().resolve(provider).resolve("default"))) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return root;
    }
}
