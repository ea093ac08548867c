package io.jps.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.jps.config.PipelineConfig;
import io.jps.keys.KeyRequirements.Requirement;
import io.jps.profile.ProviderProfile;
import io.jps.support.Engines;
import io.jps.support.SeedKeysets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A keyset needs exactly what its profile uses. Keysets are laid out as each seed's provider hands them out (made
 * with openssl and by hand); each missing piece is reported with its file and the role it plays.
 */
class KeysetRequirementsTest {

    private static final String PASSPHRASE = "custodian passphrase 7f3a";
    private static final String PASSPHRASE_VARIABLE = "SOCURE_KEY_PASSPHRASE";
    private static final PipelineConfig CONFIG = Engines.config(null);
    private static SeedKeysets seed;

    @BeforeAll
    static void seedKeysets() throws Exception {
        seed = new SeedKeysets(Files.createTempDirectory(Path.of("target"), "seed-keysets-"));
        seed.juspay("default");
        seed.wise("default");
        seed.socure("default", 365, PASSPHRASE, PASSPHRASE_VARIABLE);
        seed.portone("default");
    }

    @Test
    void everySeedKeysetLoadsOnBothSidesAsItsProviderHandsItOut() throws Exception {
        assertThat(Files.readString(seed.keys().resolve("juspay/default/merchant-private.pem")))
                .startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Files.readString(seed.keys().resolve("socure/default/merchant-private.pem")))
                .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(Files.readString(seed.keys().resolve("socure/default/provider-public.pem")))
                .startsWith("-----BEGIN CERTIFICATE-----");
        try (var files = Files.list(seed.keys().resolve("portone/default"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("secrets.properties");
        }

        for (String provider : List.of("juspay", "wise", "socure", "portone")) {
            assertThat(ours().load(seed.keys().resolve(provider).resolve("default"), id(provider))).isNotNull();
            assertThat(theirs().load(seed.sandboxKeys().resolve(provider).resolve("default"), id(provider))).isNotNull();
        }
    }

    @Test
    void eachProfileNeedsOnlyTheKeysItUses() {
        assertThat(requirements("juspay")).containsExactly(
                new Requirement("merchant-private.pem or a private key in *.jwks.json",
                        "sign requests with RS256, decrypt answers with RSA-OAEP-256"),
                new Requirement("provider-public.pem or a public key in *.jwks.json",
                        "encrypt requests with RSA-OAEP-256, verify answers with RS256"),
                new Requirement("secrets.properties: merchant-id", "header x-merchantid"));
        // Wise signs nothing and answers unsigned: its public key only encrypts, and no provider signing key is needed.
        assertThat(requirements("wise")).containsExactly(
                new Requirement("merchant-private.pem or a private key in *.jwks.json", "decrypt answers with RSA-OAEP-256"),
                new Requirement("provider-public.pem or a public key in *.jwks.json", "encrypt requests with RSA-OAEP-256"),
                new Requirement("secrets.properties: api-token", "credentials bearer: secret"),
                new Requirement("cek-wrap.key", "keep each request's content key, wrapped, to open alg: dir answers"));
        assertThat(requirements("portone")).containsExactly(
                new Requirement("secrets.properties: client-key", "credentials jwt-hs256: subjectSecret; header X-Portone-Client-Key"),
                new Requirement("secrets.properties: hmac-secret", "credentials jwt-hs256: hmacSecret"));
        assertThat(KeyRequirements.of(CONFIG.providers().get("juspay"), KeysetLayout.SANDBOX).describe()).startsWith(
                new Requirement("provider-private.pem or a private key in *.jwks.json",
                        "decrypt requests with RSA-OAEP-256, sign answers with RS256"),
                new Requirement("merchant-public.pem or a public key in *.jwks.json",
                        "verify requests with RS256, encrypt answers with RSA-OAEP-256"));
    }

    @Test
    void aProfileDefinedInConfigurationGetsTheSameRulesWithoutCode() throws Exception {
        PipelineConfig config = Engines.config("""
                providers:
                  acmepay:
                    like: socure
                    baseUrl: https://api.acmepay.example
                    seal: {signature: PS256}
                    open: {signature: [PS256], encryption: []}
                    credentials: {scheme: bearer, secret: acme-token}
                    headersFromSecrets: {X-Acme-Merchant: acme-merchant}
                """);
        ProviderProfile acme = config.providers().get("acmepay");
        assertThat(KeyRequirements.of(acme).describe()).containsExactly(
                new Requirement("merchant-private.pem or a private key in *.jwks.json", "sign requests with PS256"),
                new Requirement("provider-public.pem or a public key in *.jwks.json",
                        "encrypt requests with RSA-OAEP-256, verify answers with PS256"),
                new Requirement("secrets.properties: acme-token", "credentials bearer: secret"),
                new Requirement("secrets.properties: acme-merchant", "header X-Acme-Merchant"));

        Path dir = copyOf("socure", "acmepay");
        Files.writeString(dir.resolve("secrets.properties"), "acme-token=t0k\nmerchant-key-passphrase=env:" + PASSPHRASE_VARIABLE + "\n");
        assertThatThrownBy(() -> new KeysetLoader(CryptoBackend.jdk(), KeysetLayout.MERCHANT, environment(), config.providers())
                .load(dir, new KeysetId("acmepay", "default")))
                .isInstanceOf(KeysetException.class)
                .hasMessage("secrets.properties has no 'acme-merchant' (header X-Acme-Merchant)");
    }

    @Test
    void aMissingProviderKeyNamesTheFileAndEveryRoleItPlays() throws Exception {
        Path dir = copyOf("juspay");
        Files.delete(dir.resolve("provider-public.pem"));

        assertThatThrownBy(() -> ours().load(dir, id("juspay"))).isInstanceOf(KeysetException.class)
                .hasMessage("no provider-public.pem and no public key in *.jwks.json "
                        + "(role: encrypt requests with RSA-OAEP-256, verify answers with RS256)");
    }

    @Test
    void aMissingPrivateKeyNamesTheFileAndEveryRoleItPlays() throws Exception {
        Path dir = copyOf("wise");
        Files.delete(dir.resolve("merchant-private.pem"));

        assertThatThrownBy(() -> ours().load(dir, id("wise"))).isInstanceOf(KeysetException.class)
                .hasMessage("no merchant-private.pem and no private key in *.jwks.json (role: decrypt answers with RSA-OAEP-256)");
    }

    @Test
    void aMissingSecretNamesTheSecretAndTheSettingThatUsesIt() throws Exception {
        Path portone = copyOf("portone");
        Files.writeString(portone.resolve("secrets.properties"), "client-key=abc\nhmac-secret=\n");
        Path socure = copyOf("socure");
        Files.writeString(socure.resolve("secrets.properties"), "merchant-key-passphrase=env:" + PASSPHRASE_VARIABLE + "\n");
        Path juspay = copyOf("juspay");
        Files.delete(juspay.resolve("secrets.properties"));

        assertThatThrownBy(() -> ours().load(portone, id("portone"))).isInstanceOf(KeysetException.class)
                .hasMessage("secrets.properties has no 'hmac-secret' (credentials jwt-hs256: hmacSecret)");
        assertThatThrownBy(() -> ours().load(socure, id("socure"))).isInstanceOf(KeysetException.class)
                .hasMessage("secrets.properties has no 'api-key' (credentials bearer: secret)");
        assertThatThrownBy(() -> ours().load(juspay, id("juspay"))).isInstanceOf(KeysetException.class)
                .hasMessage("no secrets.properties with 'merchant-id' (header x-merchantid)");
    }

    @Test
    void anEmptyPortOneKeysetNamesBothSecrets() throws Exception {
        Path dir = copyOf("portone");
        Files.delete(dir.resolve("secrets.properties"));

        assertThatThrownBy(() -> ours().load(dir, id("portone"))).isInstanceOf(KeysetException.class)
                .hasMessage("no secrets.properties with 'client-key' (credentials jwt-hs256: subjectSecret; header "
                        + "X-Portone-Client-Key); no secrets.properties with 'hmac-secret' (credentials jwt-hs256: hmacSecret)");
    }

    @Test
    void aWiseKeysetWithoutItsWrappingKeySaysWhatTheKeyIsFor() throws Exception {
        Path dir = copyOf("wise");
        Files.delete(dir.resolve("cek-wrap.key"));

        assertThatThrownBy(() -> ours().load(dir, id("wise"))).isInstanceOf(KeysetException.class)
                .hasMessage("no cek-wrap.key (role: keep each request's content key, wrapped, to open alg: dir answers)");
    }

    @Test
    void aKeyWhoseDeclaredUseExcludesARoleDoesNotFillIt() throws Exception {
        Path dir = copyOf("juspay");
        Files.delete(dir.resolve("merchant-private.pem"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var pair = generator.generateKeyPair();
        RSAKey signOnly = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey(pair.getPrivate())
                .keyID("sign-only").keyUse(KeyUse.SIGNATURE).build();
        Files.writeString(dir.resolve("merchant.jwks.json"), new JWKSet(signOnly).toString(false));

        assertThatThrownBy(() -> ours().load(dir, id("juspay"))).isInstanceOf(KeysetException.class)
                .hasMessage("no private key may decrypt answers with RSA-OAEP-256 (the use, key_ops or alg of sign-only exclude it)");
    }

    @Test
    void anEncryptedPrivateKeyNeedsItsPassphraseAndAWrongOneIsNamedNeverShown() throws Exception {
        Path dir = copyOf("socure");
        String apiKey = Files.readAllLines(dir.resolve("secrets.properties")).get(0);

        Keyset keyset = ours().load(dir, id("socure"));
        assertThat(keyset.signingKey(null, Clock.systemUTC().instant())).isPresent();

        assertThatThrownBy(() -> loader(Map.of()).load(dir, id("socure"))).isInstanceOf(KeysetException.class)
                .hasMessage("secrets.properties: 'merchant-key-passphrase' refers to environment variable "
                        + PASSPHRASE_VARIABLE + ", which is not set");
        Files.writeString(dir.resolve("secrets.properties"), apiKey + "\n");
        assertThatThrownBy(() -> ours().load(dir, id("socure"))).isInstanceOf(KeysetException.class)
                .hasMessage("merchant-private.pem: the private key is encrypted (BEGIN ENCRYPTED PRIVATE KEY) and "
                        + "secrets.properties has no 'merchant-key-passphrase' (its passphrase; a value may be env:NAME)");
        String wrong = "not the custodian's passphrase";
        Files.writeString(dir.resolve("secrets.properties"), apiKey + "\nmerchant-key-passphrase=" + wrong + "\n");
        assertThatThrownBy(() -> ours().load(dir, id("socure"))).isInstanceOf(KeysetException.class)
                .hasMessageStartingWith("merchant-private.pem: 'merchant-key-passphrase' of secrets.properties does not decrypt "
                        + "the private key")
                .message().doesNotContain(wrong).doesNotContain(PASSPHRASE);
    }

    @Test
    void theKeyRingSaysAtStartWhichKeysetLacksWhatAndReadinessFollowsIt() throws Exception {
        Path root = Files.createTempDirectory(Path.of("target"), "keyring-start-");
        for (String provider : List.of("juspay", "portone")) {
            copyTree(seed.keys().resolve(provider).resolve("default"), root.resolve(provider).resolve("default"));
        }
        Files.writeString(root.resolve("portone/default/secrets.properties"), "client-key=abc\n");
        // Not a configured provider: not a keyset of this deployment, whatever it holds.
        Files.createDirectories(root.resolve("stripe/default"));
        ListAppender<ILoggingEvent> logs = capture();
        try (KeyRing ring = new KeyRing(root, ours(), Duration.ofHours(1), Clock.systemUTC())) {
            ring.startWatching();

            assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                    .contains("keyset portone/default: secrets.properties has no 'hmac-secret' (credentials jwt-hs256: hmacSecret)");
            assertThat(ring.problems()).containsOnlyKeys(id("portone"));
            assertThat(ring.allConfiguredLoad()).isFalse();

            Files.writeString(root.resolve("portone/default/secrets.properties"), "client-key=abc\nhmac-secret=s3cr3t\n");
            ring.refreshAll();
            assertThat(ring.allConfiguredLoad()).isTrue();

            copyTree(seed.keys().resolve("juspay/default"), root.resolve("juspay/acme"));
            Files.delete(root.resolve("juspay/acme/provider-public.pem"));
            assertThat(ring.allConfiguredLoad()).as("a keyset directory added later counts too").isFalse();
        } finally {
            release(logs);
        }
    }

    private static List<Requirement> requirements(String provider) {
        return KeyRequirements.of(CONFIG.providers().get(provider)).describe();
    }

    private static KeysetLoader ours() {
        return loader(environment());
    }

    private static KeysetLoader loader(Map<String, String> environment) {
        return new KeysetLoader(CryptoBackend.jdk(), KeysetLayout.MERCHANT, environment, CONFIG.providers());
    }

    private static KeysetLoader theirs() {
        return new KeysetLoader(CryptoBackend.jdk(), KeysetLayout.SANDBOX, Map.of(), CONFIG.providers());
    }

    private static Map<String, String> environment() {
        return Map.of(PASSPHRASE_VARIABLE, PASSPHRASE);
    }

    private static KeysetId id(String provider) {
        return new KeysetId(provider, "default");
    }

    private static Path copyOf(String provider) throws Exception {
        return copyOf(provider, provider);
    }

    /** A private copy of a seed keyset, as {@code <as>/default} of a root of its own. */
    private static Path copyOf(String provider, String as) throws Exception {
        Path target = Files.createTempDirectory(Path.of("target"), "seed-copy-").resolve(as).resolve("default");
        copyTree(seed.keys().resolve(provider).resolve("default"), target);
        return target;
    }

    private static void copyTree(Path source, Path target) throws Exception {
        Files.createDirectories(target);
        try (var files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(KeyRing.class)).addAppender(logs);
        return logs;
    }

    private static void release(ListAppender<ILoggingEvent> logs) {
        ((Logger) LoggerFactory.getLogger(KeyRing.class)).detachAppender(logs);
    }
}
