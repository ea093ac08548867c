package io.jps.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jps.engine.Engine;
import io.jps.keys.KeyRing;
import io.jps.keys.Keyset;
import io.jps.keys.KeysetException;
import io.jps.keys.KeysetId;
import io.jps.keys.KeysetLayout;
import io.jps.keys.KeysetLoader;
import io.jps.open.OpenFailure;
import io.jps.record.ProviderResponse;
import io.jps.sandbox.ProviderCrypto;
import io.jps.seal.SealFailure;
import io.jps.seal.Sealed;
import io.jps.support.Engines;
import io.jps.support.Requests;
import io.jps.support.Sent;
import io.jps.support.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Loads known keys and secrets, drives every path that logs, fails or describes itself, and asserts that no
 * log line, exception message or {@code toString()} holds any of them.
 */
class SecretsNeverPrintedTest {

    private static final String WISE_TOKEN = "wise-token-SECRET-8c1d5e0f2a9b4c7d";
    private static final String SOCURE_KEY = "socure-key-SECRET-0f2a9b4c7d8c1d5e";
    private static final String PORTONE_HMAC = "portone-hmac-SECRET-5e0f2a9b4c7d8c1d";

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

    @Test
    void noLogLineExceptionMessageOrToStringHoldsAKeyOrSecret() throws Exception {
        Path keys = keysWithKnownSecrets();
        List<String> secrets = secretFragments(keys);

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
                engine.credentials().headersFor(sealed.request());
                var opened = provider.openRequest(name, "default", sealed.request().path(), sealed.request().body());
                printed.add(opened.toString());
                String answer = provider.sealAnswer(name, "default", "{\"ok\":true}".getBytes(),
                        ProviderCrypto.AnswerMode.NORMAL, null);
                printed.add(engine.opener().open(response(name, answer), sealed.sent()).toString());
                openExpectingFailure(engine, response(name, answer.replace('A', 'B')), sealed.wrappedCek());
                openExpectingFailure(engine, response(name, "{\"JWT\":\"a.b.c.d.e\"}"), "garbage");
            }
            printed.add(engine.keyRing().toString());
            printed.add(engine.backend().toString());

            breakAndReload(engine.keyRing(), keys.resolve("juspay/default/merchant-private.pem"));
            breakAndReload(engine.keyRing(), keys.resolve("portone/default/secrets.properties"));
            sealExpectingFailure(engine, "juspay");
            sealExpectingFailure(engine, "portone");
        }
        Files.writeString(keys.resolve("wise/default/secrets.properties"), "api-token=env:NOT_SET_ANYWHERE\n");
        try {
            new KeysetLoader(io.jps.keys.CryptoBackend.jdk(), KeysetLayout.MERCHANT, Map.of())
                    .load(keys.resolve("wise/default"), new KeysetId("wise", "default"));
        } catch (KeysetException e) {
            printed.add(e.getMessage());
        }

        logs.list.forEach(event -> {
            printed.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                printed.add(event.getThrowableProxy().getMessage());
            }
        });
        assertThat(printed).isNotEmpty();
        assertThat(logs.list).isNotEmpty();
        for (String line : printed) {
            for (String secret : secrets) {
                assertThat(line).as("printed text").doesNotContain(secret);
            }
        }
    }

    private void openExpectingFailure(Engine engine, ProviderResponse response, String wrappedCek) {
        try {
            engine.opener().open(response, Sent.to(response, wrappedCek));
        } catch (OpenFailure e) {
            printed.add(e.getMessage());
            printed.add(e.toString());
        }
    }

    private void sealExpectingFailure(Engine engine, String provider) {
        try {
            Sealed sealed = engine.sealer().seal(Requests.typical(provider, "default", "r-x"));
            engine.credentials().headersFor(sealed.request());
        } catch (SealFailure e) {
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

    private static Path keysWithKnownSecrets() throws Exception {
        Path copy = TestKeys.copy();
        Files.writeString(copy.resolve("wise/default/secrets.properties"), "api-token=" + WISE_TOKEN + "\n");
        Files.writeString(copy.resolve("socure/default/secrets.properties"), "api-key=" + SOCURE_KEY + "\n");
        Files.writeString(copy.resolve("portone/default/secrets.properties"),
                "client-key=portone-client-1\nhmac-secret=" + PORTONE_HMAC + "\n");
        return copy;
    }

    /** The secrets, every private key's PEM lines and private exponent, and each wrap key. */
    private static List<String> secretFragments(Path keys) throws Exception {
        List<String> fragments = new ArrayList<>(List.of(WISE_TOKEN, SOCURE_KEY, PORTONE_HMAC));
        for (String provider : List.of("juspay", "wise", "socure", "portone")) {
            Path dir = keys.resolve(provider).resolve("default");
            for (String line : Files.readAllLines(dir.resolve("merchant-private.pem"))) {
                if (!line.startsWith("-----")) {
                    fragments.add(line.substring(0, Math.min(24, line.length())));
                }
            }
            Keyset keyset = new KeysetLoader(io.jps.keys.CryptoBackend.jdk(), KeysetLayout.MERCHANT, Map.of())
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
