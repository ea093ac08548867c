package io.jps.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.jps.observe.KeyExpiryMetrics;
import io.jps.support.Engines;
import io.jps.support.OpenSsl;
import io.jps.support.SeedKeysets;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A Socure certificate valid for ten days (made with openssl, as the certificate exchange hands it over), beside JWKs
 * that expired already and that expire in 45 days: the gauge says how long each has left by a fixed clock, and the
 * check warns of the certificate and says the expired key is expired, and keeps quiet about the rest.
 */
class KeyExpiryTest {

    @Test
    void aCertificateExpiringWithinThirtyDaysRaisesTheWarningAndTheGauge() throws Exception {
        SeedKeysets seed = new SeedKeysets(Files.createTempDirectory(Path.of("target"), "expiry-"));
        seed.socure("default", 10, "expiry passphrase", "SOCURE_KEY_PASSPHRASE");
        Path dir = seed.keys().resolve("socure/default");
        Instant notBefore = openSslDate(dir, "-startdate");
        Instant notAfter = openSslDate(dir, "-enddate");
        Clock clock = Clock.fixed(notBefore.plus(Duration.ofHours(12)), ZoneOffset.UTC);
        Files.writeString(dir.resolve("socure-old.jwks.json"), jwks("socure-2025", clock.instant().minus(Duration.ofDays(3))));
        Files.writeString(dir.resolve("socure-next.jwks.json"), jwks("socure-2027", clock.instant().plus(Duration.ofDays(45))));

        ListAppender<ILoggingEvent> logs = capture();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (KeyRing ring = new KeyRing(seed.keys(), new KeysetLoader(CryptoBackend.jdk(), KeysetLayout.MERCHANT,
                Map.of("SOCURE_KEY_PASSPHRASE", "expiry passphrase"), Engines.config(null).providers()), Duration.ofHours(1), clock)) {
            ring.refreshAll();
            KeyExpiryMetrics.bind(registry, ring, clock);
            new KeyExpiryWatch(ring, clock).report();

            assertThat(gauge(registry, "provider-public.pem")).isCloseTo(Duration.between(clock.instant(), notAfter).toSeconds(),
                    within(1.0));
            assertThat(gauge(registry, "socure-2025")).isCloseTo(-Duration.ofDays(3).toSeconds(), within(1.0));
            assertThat(gauge(registry, "socure-2027")).isCloseTo(Duration.ofDays(45).toSeconds(), within(1.0));
            assertThat(registry.scrape()).contains(
                    "jps_key_expiry_seconds{account=\"default\",kid=\"provider-public.pem\",provider=\"socure\",role=\"provider-public\"}");

            assertThat(logs.list).hasSize(2);
            assertThat(logs.list.get(0).getLevel()).isEqualTo(Level.ERROR);
            assertThat(logs.list.get(0).getFormattedMessage())
                    .startsWith("keyset socure/default: provider-public key socure-2025 expired at ").contains("(3 days and 0 hours ago)");
            assertThat(logs.list.get(1).getLevel()).isEqualTo(Level.WARN);
            assertThat(logs.list.get(1).getFormattedMessage())
                    .isEqualTo("keyset socure/default: provider-public key provider-public.pem expires at " + notAfter
                            + ", in 9 days and 12 hours; arrange its replacement");

            Files.delete(dir.resolve("socure-old.jwks.json"));
            ring.refreshAll();
            assertThat(registry.find("jps.key.expiry.seconds").tag("kid", "socure-2025").gauge())
                    .as("a key gone from its keyset leaves the gauge").isNull();
        } finally {
            ((Logger) LoggerFactory.getLogger(KeyExpiryWatch.class)).detachAppender(logs);
            registry.close();
        }
    }

    private static double gauge(PrometheusMeterRegistry registry, String kid) {
        Gauge gauge = registry.get("jps.key.expiry.seconds").tags("provider", "socure", "account", "default", "kid", kid).gauge();
        return gauge.value();
    }

    /** The certificate's own dates, as openssl reads them. */
    private static Instant openSslDate(Path dir, String which) {
        String line = OpenSsl.run(dir, "x509", "-in", "provider-public.pem", "-noout", which, "-dateopt", "iso_8601").trim();
        return Instant.parse(line.substring(line.indexOf('=') + 1).replace(' ', 'T'));
    }

    private static String jwks(String kid, Instant expires) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        RSAKey key = new RSAKey.Builder((RSAPublicKey) generator.generateKeyPair().getPublic()).keyID(kid)
                .expirationTime(Date.from(expires)).build();
        return new JWKSet(key).toString(false);
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(KeyExpiryWatch.class)).addAppender(logs);
        return logs;
    }
}
