package io.jps.keys;

import io.jps.profile.ProfileValidator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All keysets under one root ({@code keys/<provider>/<account>/}), loaded on first use and reloaded when
 * their files change, without a restart. A keyset whose files break keeps serving its last good version
 * while the problem is logged and reported by {@link #problems()}.
 */
public final class KeyRing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);

    private final Path root;
    private final KeysetLoader loader;
    private final Duration reloadInterval;
    private final Clock clock;
    private final Map<KeysetId, Entry> entries = new ConcurrentHashMap<>();
    private ScheduledExecutorService reloader;

    private record Entry(String fingerprint, Keyset keyset, String problem, Instant checkedAt) {
    }

    public KeyRing(Path root, KeysetLoader loader, Duration reloadInterval, Clock clock) {
        this.root = root;
        this.loader = loader;
        this.reloadInterval = reloadInterval;
        this.clock = clock;
    }

    public Path root() {
        return root;
    }

    /** Starts checking every known keyset for changes, once per reload interval. */
    public synchronized KeyRing startWatching() {
        if (reloader == null) {
            reloader = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "jps-keyset-reload");
                thread.setDaemon(true);
                return thread;
            });
            long millis = reloadInterval.toMillis();
            reloader.scheduleWithFixedDelay(this::refreshAll, millis, millis, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    public KeysetLookup lookup(String provider, String account) {
        if (provider == null || account == null
                || !ProfileValidator.NAME.matcher(provider).matches() || !ProfileValidator.NAME.matcher(account).matches()) {
            return new KeysetLookup.Missing(new KeysetId(String.valueOf(provider), String.valueOf(account)));
        }
        KeysetId id = new KeysetId(provider, account);
        Entry entry = entries.get(id);
        if (entry == null || (entry.keyset == null && clock.instant().isAfter(entry.checkedAt.plus(reloadInterval)))) {
            entry = entries.compute(id, (key, previous) -> reload(key, previous));
        }
        if (entry.keyset != null) {
            return new KeysetLookup.Found(entry.keyset);
        }
        return entry.problem == null ? new KeysetLookup.Missing(id) : new KeysetLookup.Broken(id, entry.problem);
    }

    /** Checks every known keyset now; what changed is reloaded. */
    public void refreshAll() {
        for (KeysetId id : entries.keySet()) {
            try {
                entries.compute(id, (key, previous) -> reload(key, previous));
            } catch (RuntimeException e) {
                LOG.warn("keyset {}: reload check failed: {}", id, e.getClass().getSimpleName());
            }
        }
    }

    /** Keysets whose files are currently broken, with what is wrong (a last good version may still serve). */
    public Map<KeysetId, String> problems() {
        Map<KeysetId, String> problems = new ConcurrentHashMap<>();
        entries.forEach((id, entry) -> {
            if (entry.problem != null) {
                problems.put(id, entry.problem);
            }
        });
        return problems;
    }

    private Entry reload(KeysetId id, Entry previous) {
        Path dir = root.resolve(id.provider()).resolve(id.account());
        String fingerprint = KeysetLoader.fingerprint(dir);
        Instant now = clock.instant();
        if (previous != null && previous.fingerprint.equals(fingerprint)) {
            return new Entry(fingerprint, previous.keyset, previous.problem, now);
        }
        if (fingerprint.isEmpty()) {
            if (previous != null && previous.keyset != null) {
                LOG.warn("keyset {}: directory {} is gone; keeping the last loaded keys", id, dir);
                return new Entry(fingerprint, previous.keyset, "directory is gone", now);
            }
            return new Entry(fingerprint, null, null, now);
        }
        try {
            Keyset keyset = loader.load(dir, id);
            if (previous != null && previous.keyset != null) {
                LOG.info("keyset {} reloaded: {}", id, keyset);
            }
            return new Entry(fingerprint, keyset, null, now);
        } catch (KeysetException e) {
            if (previous != null && previous.keyset != null) {
                LOG.error("keyset {}: {}; keeping the last good keys", id, e.getMessage());
            } else {
                LOG.error("keyset {}: {}", id, e.getMessage());
            }
            return new Entry(fingerprint, previous == null ? null : previous.keyset, e.getMessage(), now);
        }
    }

    @Override
    public synchronized void close() {
        if (reloader != null) {
            reloader.shutdownNow();
            reloader = null;
        }
    }

    @Override
    public String toString() {
        return "KeyRing[" + root + ", " + entries.size() + " keyset(s)]";
    }
}
