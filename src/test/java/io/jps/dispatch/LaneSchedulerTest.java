package io.jps.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.profile.ProviderProfile;
import io.jps.profile.ReasonCode;
import io.jps.record.SealedRequest;
import io.jps.support.Engines;
import io.jps.topology.RecordIdentity;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Lanes start their heads within the limits, one record of a key at a time, and say when a partition is idle. */
class LaneSchedulerTest {

    private static final ProviderProfile WISE = Engines.config("providers:\n  wise:\n    dispatch: {maxInFlight: 2}\n")
            .providers().get("wise");

    private long offset;

    @Test
    void startsOneRecordOfAKeyAtATimeAndTheNextWhenItFinishes() {
        LaneScheduler lanes = new LaneScheduler(10);
        Work first = sendable("k1");
        Work second = sendable("k1");
        lanes.add(first);
        lanes.add(second);

        assertThat(lanes.startable()).containsExactly(first);
        assertThat(lanes.startable()).isEmpty();
        lanes.finished(first);
        assertThat(lanes.startable()).containsExactly(second);
        assertThat(lanes.queued()).isEqualTo(1);
    }

    @Test
    void keepsToTheProvidersAndTheInstancesInFlightLimits() {
        LaneScheduler lanes = new LaneScheduler(3);
        List<Work> work = List.of(sendable("a"), sendable("b"), sendable("c"), unsendable("d"), unsendable("e"));
        work.forEach(lanes::add);

        // two for Wise (its maxInFlight), and one that needs no provider, up to the instance's three
        assertThat(lanes.startable()).containsExactly(work.get(0), work.get(1), work.get(3));
        assertThat(lanes.inFlight()).isEqualTo(3);
        lanes.finished(work.get(3));
        assertThat(lanes.startable()).containsExactly(work.get(4));
        lanes.finished(work.get(0));
        assertThat(lanes.startable()).containsExactly(work.get(2));
    }

    @Test
    void startsNothingWhileDrainingAndIsIdleOnceWhatIsInFlightFinishes() {
        LaneScheduler lanes = new LaneScheduler(10);
        Work inFlight = sendable("a");
        lanes.add(inFlight);
        lanes.startable();
        lanes.add(sendable("b"));
        lanes.draining(true);

        assertThat(lanes.startable()).isEmpty();
        assertThat(lanes.awaitIdle(List.of(partition()), Duration.ZERO)).isFalse();
        lanes.finished(inFlight);
        assertThat(lanes.awaitIdle(List.of(partition()), Duration.ZERO)).isTrue();
        lanes.forget(List.of(partition()));
        assertThat(lanes.queued()).isZero();
    }

    private Work sendable(String key) {
        ConsumerRecord<byte[], byte[]> record = record(key);
        SealedRequest request = new SealedRequest("r-" + record.offset(), "wise", "default", "POST", "/v1/cases", Map.of(), "{}", 1L);
        return new Work.Sendable(record, Lane.of(record), request, WISE,
                new AllowedRequest(URI.create("https://wise.example/v1/cases"), "POST", Map.of(), "{}"));
    }

    private Work unsendable(String key) {
        ConsumerRecord<byte[], byte[]> record = record(key);
        return new Work.Unsendable(record, Lane.of(record), RecordIdentity.UNKNOWN, ReasonCode.MALFORMED, "test");
    }

    private ConsumerRecord<byte[], byte[]> record(String key) {
        return new ConsumerRecord<>(partition().topic(), partition().partition(), offset++, key.getBytes(), new byte[0]);
    }

    private static TopicPartition partition() {
        return new TopicPartition("sealed", 0);
    }
}
