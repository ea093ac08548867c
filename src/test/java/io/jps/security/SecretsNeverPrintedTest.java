package io.jps.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import io.jps.engine.Engine;
import io.jps.keys.KeyRing;
import io.jps.keys.Keyset;
import io.jps.keys.KeysetException;
import io.jps.keys.KeysetId;
import io.jps.keys.KeysetLayout;
import io.jps.keys.KeysetLoader;
import io.jps.observe.LogFormat;
import io.jps.open.OpenFailure;
import io.jps.profile.ReasonCode;
import io.jps.record.ProviderResponse;
import io.jps.sandbox.ProviderCrypto;
import io.jps.seal.SealFailure;
import io.jps.seal.Sealed;
import io.jps.support.Engines;
import io.jps.support.Requests;
import io.jps.support.Sent;
import io.jps.support.TestKeys;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Loads known keys and secrets, drives every path that logs, fails or describes itself, and asserts that no
 * log line (as written, in each log format), exception message or {@code toString()} holds any of them. Each
 * path that should fail is checked to have failed as it names, or it would prove nothing.
 */
class SecretsNeverPrintedTest {

    private static final String WISE_TOKEN = "wise-token-SECRET-8c1d5e0f2a9b4c7d";
    private static final String SOCURE_KEY = "socure-key-SECRET-0f2a9b4c7d8c1d5e";
    private static final String PORTONE_HMAC = "portone-hmac-SECRET-5e0f2a9b4c7d8c1d";
    private static final String JUSPAY_PASSPHRASE = "juspay-passphrase-SECRET-2a9b4c7d8c1d5e0f";
    private static final String WRONG_PASSPHRASE = "wrong-passphrase-SECRET-9b4c7d8c1d5e0f2a";
    private List<String> secrets;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<String> printed = new ArrayList<>();
    private Logger root;
    private Level rootLevel;

    @BeforeEach
    void captureEveryLogLine() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.ALL);
        ((Logger) LoggerFactory.getLogger("io.jps")).setLevel(Level.ALL);
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void release() {
        root.detachAppender(logs);
        root.setLevel(rootLevel);
        ((Logger) LoggerFactory.getLogger("io.jps")).setLevel(Level.INFO);
    }

    @ParameterizedTest
    @EnumSource(LogFormat.class)
    void noLogLineExceptionMessageOrToStringHoldsAKeyOrSecret(LogFormat format) throws Exception {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> encoded = new OutputStreamAppender<>();
        encoded.setContext(root.getLoggerContext());
        encoded.setEncoder(format.encoder(root.getLoggerContext()));
        encoded.setOutputStream(written);
        encoded.start();
        root.addAppender(encoded);
        try {
            driveEveryPathThatPrints();
        } finally {
            root.detachAppender(encoded);
            encoded.stop();
        }

        logs.list.forEach(event -> {
            printed.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                printed.add(event.getThrowableProxy().getMessage());
            }
        });
        printed.addAll(written.toString(StandardCharsets.UTF_8).lines().toList());
        assertThat(printed).isNotEmpty();
        assertThat(logs.list).isNotEmpty();
        assertThat(written.size()).isPositive();
        for (String line : printed) {
            for (String secret : secrets) {
                assertThat(line).as("printed text").doesNotContain(secret);
            }
        }
    }

    private void driveEveryPathThatPrints() throws Exception {
        Path keys = keysWithKnownSecrets();
        secrets = secretFragments(keys);

        try (Engine engine = Engine.create(Engines.config(null), keys, Map.of(), Clock.systemUTC())) {
            ProviderCrypto provider = Engines.provider(engine);
            for (String name : List.of("juspay", "wise", "socure", "portone")) {
                Keyset keyset = engine.keyRing().lookup(name, "default").found().orElseThrow();
                printed.add(keyset.toString());
                printed.add(keyset.secrets().toString());
                keyset.signingKey(null, Instant.now()).ifPresent(k -> printed.add(k.toString()));
                keyset.encryptionKey(null, Instant.now()).ifPresent(k -> printed.add(k.toString()));
                Sealed sealed = engine.sealer().seal(Requests.typical(name, "default", "r-" + name));
                printed.add(sealed.toString());
                printed.add(sealed.request().toString());
                printed.add(sealed.sent().toString());
                engine.credentials().headersFor(sealed.request());
                var opened = provider.openRequest(name, "default", sealed.request().path(), sealed.request().body());
                printed.add(opened.toString());
                String answer = provider.sealAnswer(name, "default", "{\"ok\":true}".getBytes(),
                        ProviderCrypto.AnswerMode.NORMAL, null);
                printed.add(engine.opener().open(response(name, answer), sealed.sent()).toString());
                if (!name.equals("portone")) {
                    openExpectingFailure(engine, response(name, tampered(answer)), sealed.wrappedCek(), null);
                }
                openExpectingFailure(engine, response(name, "<html>a.b.c.d.e</html>"), "garbage", ReasonCode.MALFORMED);
            }
            printed.add(engine.keyRing().toString());
            printed.add(engine.backend().toString());

            // Keysets that break after loading keep serving their last good keys (and say what broke); keysets that
            // never loaded refuse to seal, with the problem in the refusal.
            breakAndReload(engine.keyRing(), keys.resolve("juspay/default/merchant-private.pem"));
            breakAndReload(engine.keyRing(), keys.resolve("portone/default/secrets.properties"));
            assertThat(engine.keyRing().problems()).hasSize(2);
            copyBroken(keys, "juspay/default/merchant-private.pem", "juspay/broken");
            copyBroken(keys, "portone/default/secrets.properties", "portone/broken");
            sealExpectingFailure(engine, "juspay", "broken", ReasonCode.NO_KEY);
            sealExpectingFailure(engine, "portone", "broken", ReasonCode.NO_KEY);
        }
        Files.writeString(keys.resolve("wise/default/secrets.properties"), "api-token=env:NOT_SET_ANYWHERE\n");
        loadExpectingFailure(keys, "wise");
        Files.writeString(keys.resolve("juspay/default/secrets.properties"),
                "merchant-id=juspay-merchant-1\nmerchant-key-passphrase=" + WRONG_PASSPHRASE + "\n");
        loadExpectingFailure(keys, "juspay");
        Files.writeString(keys.resolve("juspay/default/secrets.properties"), "merchant-id=juspay-merchant-1\n");
        loadExpectingFailure(keys, "juspay");
        Files.writeString(keys.resolve("portone/default/secrets.properties"), "hmac-secret=" + PORTONE_HMAC + "\n");
        loadExpectingFailure(keys, "portone");
    }

    /** One character of the ciphertext changed, so the answer must be refused. */
    private static String tampered(String body) {
        int at = body.indexOf('.', body.indexOf('.', body.indexOf('.') + 1) + 1) + 5;
        return body.substring(0, at) + (body.charAt(at) == 'A' ? 'B' : 'A') + body.substring(at + 1);
    }

    /** A keyset directory whose one file is half of {@code file}: it never loads. */
    private static void copyBroken(Path keys, String file, String account) throws Exception {
        Path source = keys.resolve(file);
        Path target = keys.resolve(account).resolve(source.getFileName().toString());
        Files.createDirectories(target.getParent());
        Files.copy(source, target);
    }

    private void loadExpectingFailure(Path keys, String provider) {
        try {
            new KeysetLoader(io.jps.keys.CryptoBackend.jdk(), KeysetLayout.MERCHANT, Map.of(), Engines.config(null).providers())
                    .load(keys.resolve(provider).resolve("default"), new KeysetId(provider, "default"));
            throw new AssertionError("the keyset of " + provider + " was expected not to load");
        } catch (KeysetException e) {
            printed.add(e.getMessage());
        }
    }

    /** @param expected the reason it must be refused for, or null for any */
    private void openExpectingFailure(Engine engine, ProviderResponse response, String wrappedCek, ReasonCode expected) {
        try {
            engine.opener().open(response, Sent.to(response, wrappedCek));
            throw new AssertionError("the answer of " + response.provider() + " was expected to be refused");
        } catch (OpenFailure e) {
            if (expected != null) {
                assertThat(e.reason()).isEqualTo(expected);
            }
            printed.add(e.getMessage());
            printed.add(e.toString());
        }
    }

    private void sealExpectingFailure(Engine engine, String provider, String account, ReasonCode expected) {
        try {
            engine.sealer().seal(Requests.typical(provider, account, "r-x"));
            throw new AssertionError("sealing for " + provider + "/" + account + " was expected to fail");
        } catch (SealFailure e) {
            assertThat(e.reason()).isEqualTo(expected);
            printed.add(e.getMessage());
        }
    }

    private static void breakAndReload(KeyRing ring, Path file) throws Exception {
        String original = Files.readString(file);
        // A half-written file: the first half of the real one, which is exactly what must not be echoed.
        Files.writeString(file, original.substring(0, original.length() / 2));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plus(Duration.ofSeconds(10))));
        ring.refreshAll();
    }

    private static ProviderResponse response(String provider, String body) {
        return new ProviderResponse("r-" + provider, provider, "default", 200, Map.of(), body, 1, System.currentTimeMillis(),
                System.currentTimeMillis());
    }

    /**
     * Known secrets in every keyset, PortOne's keyset its secrets alone (as PortOne hands it out), and Juspay's private
     * key encrypted under a known passphrase (as a key custodian hands it out).
     */
    private static Path keysWithKnownSecrets() throws Exception {
        Path copy = TestKeys.copy();
        try (var files = Files.list(copy.resolve("portone/default"))) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly("secrets.properties");
        }
        Path juspayKey = copy.resolve("juspay/default/merchant-private.pem");
        Keyset plain = new KeysetLoader(io.jps.keys.CryptoBackend.jdk(), KeysetLayout.MERCHANT, Map.of(),
                Engines.config(null).providers()).load(juspayKey.getParent(), new KeysetId("juspay", "default"));
        Files.writeString(juspayKey, encryptedPkcs8(
                plain.signingKey(null, Instant.now()).orElseThrow().decrypter().getPrivateKey(), JUSPAY_PASSPHRASE));
        Files.writeString(copy.resolve("juspay/default/secrets.properties"),
                "merchant-id=juspay-merchant-1\nmerchant-key-passphrase=" + JUSPAY_PASSPHRASE + "\n");
        Files.writeString(copy.resolve("wise/default/secrets.properties"), "api-token=" + WISE_TOKEN + "\n");
        Files.writeString(copy.resolve("socure/default/secrets.properties"), "api-key=" + SOCURE_KEY + "\n");
        Files.writeString(copy.resolve("portone/default/secrets.properties"),
                "client-key=portone-client-1\nhmac-secret=" + PORTONE_HMAC + "\n");
        return copy;
    }

    private static String encryptedPkcs8(PrivateKey key, String passphrase) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(new BouncyCastleProvider()).setPassword(passphrase.toCharArray()).build()));
        }
        return out.toString();
    }

    /** The secrets, every private key's PEM lines and private exponent, and each wrap key. */
    private static List<String> secretFragments(Path keys) throws Exception {
        List<String> fragments = new ArrayList<>(List.of(WISE_TOKEN, SOCURE_KEY, PORTONE_HMAC, JUSPAY_PASSPHRASE,
                WRONG_PASSPHRASE));
        for (String provider : List.of("juspay", "wise", "socure")) {
            Path dir = keys.resolve(provider).resolve("default");
            for (String line : Files.readAllLines(dir.resolve("merchant-private.pem"))) {
                if (!line.startsWith("-----")) {
                    fragments.add(line.substring(0, Math.min(24, line.length())));
                }
            }
            Keyset keyset = new KeysetLoader(io.jps.keys.CryptoBackend.jdk(), KeysetLayout.MERCHANT, Map.of(), Engines.config(null).providers())
                    .load(dir, new KeysetId(provider, "default"));
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) keyset.signingKey(null, Instant.now()).orElseThrow().decrypter().getPrivateKey();
            fragments.add(key.getPrivateExponent().toString().substring(0, 40));
            fragments.add(key.getPrimeP().toString().substring(0, 40));
            fragments.add(Base64.getEncoder().encodeToString(key.getPrivateExponent().toByteArray()).substring(0, 24));
            if (Files.exists(dir.resolve("cek-wrap.key"))) {
                fragments.add(Files.readString(dir.resolve("cek-wrap.key")).trim());
            }
        }
        return fragments;
    }
}
