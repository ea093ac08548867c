package io.jps.topology;

import io.jps.record.Json;
import io.jps.record.SentRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The requests SEAL sealed, by {@code requestId}: a changelogged store that SEAL writes and OPEN reads and
 * decides, in the same task (which is why requests and responses are co-partitioned). It is a window store
 * whose entries are stamped with our own seal time, never a record's timestamp: its retention runs on the
 * times it was given, so a record with a forged timestamp cannot expire what it remembers.
 */
final class SentRequests {

    static final String STORE = "sent-requests";

    private static final Serde<SentRequest> SERDE = Serdes.serdeFrom(
            (topic, value) -> value == null ? null : Json.writeBytes(value),
            (topic, bytes) -> {
                try {
                    return bytes == null ? null : Json.MAPPER.readValue(bytes, SentRequest.class);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });

    private final WindowStore<String, SentRequest> store;

    SentRequests(WindowStore<String, SentRequest> store) {
        this.store = store;
    }

    /** One request's entry, with the time it is filed under. */
    record Entry(String requestId, long filedAt, SentRequest request) {
    }

    static StoreBuilder<WindowStore<String, SentRequest>> storeBuilder(Duration retention) {
        // The window size is unused: entries are looked up by requestId over the whole retention.
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(STORE, retention, Duration.ofMillis(1), false),
                Serdes.String(), SERDE);
    }

    Optional<Entry> find(String requestId) {
        try (WindowStoreIterator<SentRequest> entries = store.backwardFetch(requestId, 0, Long.MAX_VALUE)) {
            if (!entries.hasNext()) {
                return Optional.empty();
            }
            KeyValue<Long, SentRequest> latest = entries.next();
            return Optional.of(new Entry(requestId, latest.key, latest.value));
        }
    }

    void remember(String requestId, SentRequest request) {
        store.put(requestId, request, request.sealedAt());
    }

    /** Filed under the same time, so it replaces the entry rather than adding one. */
    void decide(Entry entry, SentRequest.Decision decision) {
        store.put(entry.requestId(), entry.request().decidedBy(decision), entry.filedAt());
    }
}
