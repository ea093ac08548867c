package io.jps.dispatch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.TopicPartition;

/**
 * Per-key lanes and the in-flight limits: the head of each lane may start when the instance and its provider have
 * room, the next record of a lane only once the one before it has finished. What is queued (read, not finished)
 * tells the poll loop when to stop reading.
 */
final class LaneScheduler {

    private final int maxInFlight;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Lane, ArrayDeque<Work>> lanes = new HashMap<>();
    /** Lanes whose head has not started yet, in the order they became ready. */
    private final LinkedHashSet<Lane> waiting = new LinkedHashSet<>();
    private final Map<String, Integer> inFlightByProvider = new HashMap<>();
    private volatile int inFlight;
    private int queued;
    private boolean draining;

    LaneScheduler(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    void add(Work work) {
        lock.lock();
        try {
            ArrayDeque<Work> queue = lanes.computeIfAbsent(work.lane(), l -> new ArrayDeque<>());
            queue.addLast(work);
            queued++;
            if (queue.size() == 1) {
                waiting.add(work.lane());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes the heads of the waiting lanes that the limits allow to start now, and counts them in flight. */
    List<Work> startable() {
        List<Work> starting = new ArrayList<>();
        lock.lock();
        try {
            var lanesWaiting = waiting.iterator();
            while (lanesWaiting.hasNext() && !draining && inFlight < maxInFlight) {
                Work head = lanes.get(lanesWaiting.next()).peekFirst();
                if (head instanceof Work.Sendable sendable && inFlightByProvider.getOrDefault(sendable.profile().name(), 0)
                        >= sendable.profile().dispatch().maxInFlight()) {
                    continue;
                }
                lanesWaiting.remove();
                inFlight++;
                if (head instanceof Work.Sendable sendable) {
                    inFlightByProvider.merge(sendable.profile().name(), 1, Integer::sum);
                }
                starting.add(head);
            }
        } finally {
            lock.unlock();
        }
        return starting;
    }

    /** The work is done: its lane moves on to the next record. */
    void finished(Work work) {
        lock.lock();
        try {
            release(work);
            ArrayDeque<Work> queue = lanes.get(work.lane());
            if (queue != null && queue.peekFirst() == work) {
                queue.pollFirst();
                queued--;
                if (queue.isEmpty()) {
                    lanes.remove(work.lane());
                } else {
                    waiting.add(work.lane());
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The work ended without an outcome: it no longer counts in flight, and its lane stays where it is. */
    void abandoned(Work work) {
        lock.lock();
        try {
            release(work);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void release(Work work) {
        inFlight--;
        if (work instanceof Work.Sendable sendable) {
            inFlightByProvider.merge(sendable.profile().name(), -1, Integer::sum);
        }
    }

    int inFlight() {
        return inFlight;
    }

    int queued() {
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    /** While draining nothing new starts: what is in flight finishes, what waits stays for the next owner. */
    void draining(boolean now) {
        lock.lock();
        try {
            draining = now;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no work of {@code partitions} (null: of any partition) is in flight, or {@code timeout} passes.
     *
     * @return whether it became idle in time
     */
    boolean awaitIdle(Collection<TopicPartition> partitions, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (busy(partitions)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private boolean busy(Collection<TopicPartition> partitions) {
        if (partitions == null) {
            return inFlight > 0;
        }
        return lanes.entrySet().stream().anyMatch(entry -> partitions.contains(entry.getKey().partition())
                && !entry.getValue().isEmpty() && !waiting.contains(entry.getKey()));
    }

    /** Drops the lanes of partitions this instance no longer owns; their records are the next owner's now. */
    void forget(Collection<TopicPartition> partitions) {
        lock.lock();
        try {
            lanes.entrySet().removeIf(entry -> {
                if (!partitions.contains(entry.getKey().partition())) {
                    return false;
                }
                queued -= entry.getValue().size();
                waiting.remove(entry.getKey());
                return true;
            });
        } finally {
            lock.unlock();
        }
    }
}
