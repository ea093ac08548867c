package io.jps.sandbox;

import io.jps.sandbox.FaultPlan.Fault;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The sandbox's memory of what it received: counts per provider, and per idempotency key the attempts and their
 * numbers. It holds no body and no credential, only what a test needs to check the traffic.
 */
final class SandboxLedger {

    private final Map<String, Counters> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attemptNumbers = new ConcurrentHashMap<>();
    private final Map<String, List<Attempt>> attempts = new ConcurrentHashMap<>();

    private static final class Counters {
        final LongAdder received = new LongAdder();
        final LongAdder accepted = new LongAdder();
        final Map<Refusal, LongAdder> rejected = new ConcurrentHashMap<>();
        final Map<Fault, LongAdder> faults = new ConcurrentHashMap<>();
    }

    void received(String provider) {
        counters(provider).received.increment();
    }

    /** The number of this attempt of the request with {@code idempotencyKey}: 1 for the first to arrive. */
    int nextAttempt(String idempotencyKey) {
        return attemptNumbers.computeIfAbsent(idempotencyKey, key -> new AtomicInteger()).incrementAndGet();
    }

    /** @param idempotencyKey null when the request carried none (then only the counts change) */
    void record(String idempotencyKey, Attempt attempt) {
        Counters provider = counters(attempt.provider());
        if (attempt.refusal() != null) {
            provider.rejected.computeIfAbsent(attempt.refusal(), r -> new LongAdder()).increment();
        } else {
            provider.accepted.increment();
        }
        attempt.faults().forEach(fault -> provider.faults.computeIfAbsent(fault, f -> new LongAdder()).increment());
        if (idempotencyKey != null) {
            attempts.compute(idempotencyKey, (key, list) -> {
                List<Attempt> updated = list == null ? new ArrayList<>() : list;
                updated.add(attempt);
                return updated;
            });
        }
    }

    ProviderStats stats(String provider) {
        Counters c = counters(provider);
        Map<Refusal, Long> rejected = new EnumMap<>(Refusal.class);
        c.rejected.forEach((refusal, count) -> rejected.put(refusal, count.sum()));
        Map<Fault, Long> faults = new EnumMap<>(Fault.class);
        c.faults.forEach((fault, count) -> faults.put(fault, count.sum()));
        return new ProviderStats(c.received.sum(), c.accepted.sum(), rejected, faults);
    }

    /** The attempts of one request, in attempt order. */
    List<Attempt> attempts(String idempotencyKey) {
        List<Attempt> copy = new ArrayList<>();
        attempts.computeIfPresent(idempotencyKey, (key, list) -> {
            copy.addAll(list);
            return list;
        });
        copy.sort(Comparator.comparingInt(Attempt::number));
        return List.copyOf(copy);
    }

    private Counters counters(String provider) {
        return counters.computeIfAbsent(provider, p -> new Counters());
    }
}
