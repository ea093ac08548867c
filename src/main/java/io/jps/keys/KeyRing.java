package io.jps.keys;

import io.jps.profile.ProfileValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All keysets under one root ({@code keys/<provider>/<account>/}), loaded on first use (or, once watching, every
 * directory of a configured provider at start) and reloaded when their files change, without a restart. A keyset
 * whose files break keeps serving its last good version while the problem is logged and reported by
 * {@link #problems()}.
 */
public final class KeyRing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);

    private final Path root;
    private final KeysetLoader loader;
    private final Duration reloadInterval;
    private final Clock clock;
    private final Map<KeysetId, Entry> entries = new ConcurrentHashMap<>();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
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

    /**
     * Loads every keyset directory of a configured provider now (each problem is logged, naming the keyset, the
     * file and its role), then checks them for changes, and for new directories, once per reload interval.
     */
    public synchronized KeyRing startWatching() {
        if (reloader == null) {
            refreshAll();
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
            entry = refresh(id);
        }
        if (entry.keyset != null) {
            return new KeysetLookup.Found(entry.keyset);
        }
        return entry.problem == null ? new KeysetLookup.Missing(id) : new KeysetLookup.Broken(id, entry.problem);
    }

    /** Checks every known keyset and every configured keyset directory now; what changed is reloaded. */
    public void refreshAll() {
        Set<KeysetId> ids = new TreeSet<>(Comparator.comparing(KeysetId::toString));
        ids.addAll(entries.keySet());
        ids.addAll(configured());
        for (KeysetId id : ids) {
            try {
                refresh(id);
            } catch (RuntimeException e) {
                LOG.warn("keyset {}: reload check failed: {}", id, e.getClass().getSimpleName());
            }
        }
    }

    /**
     * Whether every configured keyset (each {@code <provider>/<account>} directory of a configured provider) loads
     * as it is on disk now; false while one fails, even if its last good version still serves.
     */
    public boolean allConfiguredLoad() {
        for (KeysetId id : configured()) {
            Entry entry = entries.get(id);
            if (entry == null) {
                entry = refresh(id);
            }
            if (entry.keyset == null || entry.problem != null) {
                return false;
            }
        }
        return true;
    }

    /** The keysets loaded now (their last good versions). */
    public List<Keyset> loaded() {
        return entries.values().stream().map(Entry::keyset).filter(Objects::nonNull).toList();
    }

    /** Runs {@code listener} whenever a keyset is loaded or replaced by a new version. */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
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

    private Entry refresh(KeysetId id) {
        Entry before = entries.get(id);
        Entry after = entries.compute(id, this::reload);
        if (after.keyset != null && (before == null || before.keyset != after.keyset)) {
            changeListeners.forEach(Runnable::run);
        }
        return after;
    }

    private List<KeysetId> configured() {
        List<KeysetId> ids = new ArrayList<>();
        for (String provider : loader.providers()) {
            Path dir = root.resolve(provider);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> accounts = Files.list(dir)) {
                accounts.filter(Files::isDirectory).map(path -> path.getFileName().toString())
                        .filter(account -> ProfileValidator.NAME.matcher(account).matches())
                        .forEach(account -> ids.add(new KeysetId(provider, account)));
            } catch (IOException e) {
                LOG.warn("keys of {}: cannot list {} ({})", provider, dir, e.getClass().getSimpleName());
            }
        }
        return ids;
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
