package io.jps.refunds;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the outcome topics backwards in time from where the batch started, in windows that double (15 minutes,
 * then 30, 60, ...): the outcomes of requests submitted before, newest first. It stops at the seal stage's memory
 * ({@code open.dedupRetention}) and an hour more: a request sealed longer ago than that would not have been refused
 * as a duplicate, and its outcome cannot be later than its seal. So it reads at most that much of the topics,
 * usually about twice the time since the first submission, never the topics' whole history.
 *
 * <p>Windows are bounded by offsets ({@code offsetsForTimes} of each window's start), so consecutive windows
 * tile the partitions exactly: no record is read twice or skipped, whatever the order of their timestamps.
 */
final class HistorySearch {

    private static final Duration FIRST_WINDOW = Duration.ofMinutes(15);
    private static final Duration POLL = Duration.ofMillis(200);

    private final OutcomeReader reader;
    private final long floor;
    private Map<TopicPartition, Long> windowEnd;
    private Map<TopicPartition, Long> windowStart;
    private long windowStartTime;
    private Duration span = FIRST_WINDOW;
    private boolean exhausted;

    /**
     * @param upTo  where the search starts: the offsets the batch's own records come after
     * @param now   the time those offsets were taken
     * @param reach how far back an outcome of the batch can lie
     */
    HistorySearch(OutcomeReader reader, Map<TopicPartition, Long> upTo, long now, Duration reach) {
        this.reader = reader;
        this.floor = now - reach.toMillis();
        this.windowEnd = upTo;
        this.windowStartTime = Math.max(floor, now - span.toMillis());
        this.windowStart = reader.offsetsAt(windowStartTime, windowEnd);
        reader.seek(windowStart);
    }

    /** Reads a little more of the current window, moving to the next one when it is done. */
    void step(Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        if (exhausted) {
            return;
        }
        if (reader.reached(windowEnd)) {
            if (windowStartTime <= floor) {
                exhausted = true;
                return;
            }
            span = span.multipliedBy(2);
            windowEnd = windowStart;
            windowStartTime = Math.max(floor, windowStartTime - span.toMillis());
            windowStart = reader.offsetsAt(windowStartTime, windowEnd);
            reader.seek(windowStart);
        }
        reader.poll(POLL, windowEnd, sink);
    }

    /** Every window down to the floor has been read. */
    boolean exhausted() {
        return exhausted;
    }
}
