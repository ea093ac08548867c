package io.jps.observe;

import io.jps.keys.KeyExpiry;
import io.jps.keys.KeyRing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;

/**
 * {@code jps_key_expiry_seconds{provider,account,role,kid}}: seconds until each key of the loaded keysets expires
 * (negative once it has), from a certificate's {@code notAfter} or a JWK's {@code exp}. The rows follow the keysets
 * as they are reloaded, so a replaced key's row goes with it. Labels come from directory names and key ids, which
 * name keys and never hold key material.
 */
public final class KeyExpiryMetrics {

    private KeyExpiryMetrics() {
    }

    public static void bind(MeterRegistry registry, KeyRing keyRing, Clock clock) {
        MultiGauge gauge = MultiGauge.builder("jps.key.expiry.seconds")
                .description("Seconds until a key expires (certificate notAfter, JWK exp); negative once expired")
                .register(registry);
        Runnable refresh = () -> gauge.register(keyRing.loaded().stream()
                .flatMap(keyset -> keyset.expiries().stream())
                .map(expiry -> MultiGauge.Row.of(tags(expiry), () -> expiry.timeLeft(clock.instant()).toSeconds()))
                .toList(), true);
        keyRing.onChange(refresh);
        refresh.run();
    }

    private static Tags tags(KeyExpiry expiry) {
        return Tags.of("provider", expiry.keyset().provider(), "account", expiry.keyset().account(),
                "role", expiry.role(), "kid", expiry.kid());
    }
}
