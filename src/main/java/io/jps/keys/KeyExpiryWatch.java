package io.jps.keys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says, at start and once a day, which keys of the loaded keysets expire within {@link #WARNING_PERIOD} (a warning
 * each) and which have expired already (an error each): a provider certificate's {@code notAfter}, a JWK's
 * {@code exp}. Certificates come by exchange with the provider (Socure), which takes time to arrange.
 */
public final class KeyExpiryWatch implements AutoCloseable {

    public static final Duration WARNING_PERIOD = Duration.ofDays(30);
    private static final Duration CHECK_INTERVAL = Duration.ofDays(1);
    private static final Logger LOG = LoggerFactory.getLogger(KeyExpiryWatch.class);

    private final KeyRing keyRing;
    private final Clock clock;
    private ScheduledExecutorService timer;

    public KeyExpiryWatch(KeyRing keyRing, Clock clock) {
        this.keyRing = keyRing;
        this.clock = clock;
    }

    /** Reports now, then once per day. */
    public synchronized KeyExpiryWatch start() {
        if (timer == null) {
            report();
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "jps-key-expiry");
                thread.setDaemon(true);
                return thread;
            });
            long millis = CHECK_INTERVAL.toMillis();
            timer.scheduleAtFixedRate(this::report, millis, millis, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Logs one line per key that has expired or expires within the warning period. */
    public void report() {
        Instant now = clock.instant();
        List<KeyExpiry> expiries = keyRing.loaded().stream().flatMap(keyset -> keyset.expiries().stream())
                .sorted(Comparator.comparing(KeyExpiry::expiresAt)).toList();
        for (KeyExpiry expiry : expiries) {
            Duration left = expiry.timeLeft(now);
            if (left.isNegative() || left.isZero()) {
                LOG.error("keyset {}: {} key {} expired at {} ({} ago); replace it", expiry.keyset(), expiry.role(),
                        expiry.kid(), expiry.expiresAt(), daysAndHours(left.negated()));
            } else if (left.compareTo(WARNING_PERIOD) <= 0) {
                LOG.warn("keyset {}: {} key {} expires at {}, in {}; arrange its replacement", expiry.keyset(),
                        expiry.role(), expiry.kid(), expiry.expiresAt(), daysAndHours(left));
            }
        }
    }

    private static String daysAndHours(Duration duration) {
        return duration.toDays() + " days and " + duration.toHoursPart() + " hours";
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
