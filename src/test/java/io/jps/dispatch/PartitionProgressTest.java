package io.jps.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Outcomes become committable only when every record before them has finished: nothing unfinished is committed past. */
class PartitionProgressTest {

    @Test
    void holdsOutcomesBackUntilTheRecordsBeforeThemFinish() {
        PartitionProgress<ProducerRecord<byte[], byte[]>> progress = new PartitionProgress<>();
        progress.started(10);
        progress.started(11);
        progress.started(12);

        progress.finished(12, outcome("c"));
        progress.finished(11, outcome("b"));
        assertThat(progress.take()).isNull();

        progress.finished(10, outcome("a"));
        PartitionProgress.Committable<ProducerRecord<byte[], byte[]>> ready = progress.take();
        assertThat(ready.outcomes()).extracting(ProducerRecord::topic).containsExactly("a", "b", "c");
        assertThat(ready.nextOffset()).isEqualTo(13);
        assertThat(progress.idle()).isTrue();
        assertThat(progress.take()).isNull();
    }

    @Test
    void movesACaughtUpPartitionPastTheMarkersAfterItsLastRecordOnceAndNeverPastAnUnfinishedOne() {
        PartitionProgress<ProducerRecord<byte[], byte[]>> progress = new PartitionProgress<>();
        assertThat(progress.settledAt(5)).as("nothing committed yet").isNull();
        progress.started(3);
        progress.finished(3, outcome("a"));
        assertThat(progress.take().nextOffset()).isEqualTo(4);

        // offset 4 is the seal stage's commit marker: the consumer stands at 5
        assertThat(progress.settledAt(5)).isEqualTo(5);
        assertThat(progress.settledAt(5)).as("already there: no empty transaction").isNull();

        progress.started(7);
        assertThat(progress.settledAt(9)).as("a record still in flight").isNull();
    }

    @Test
    void commitsUpToTheFirstUnfinishedRecord() {
        PartitionProgress<ProducerRecord<byte[], byte[]>> progress = new PartitionProgress<>();
        progress.started(0);
        progress.started(1);
        progress.started(2);
        progress.finished(0, outcome("a"));

        assertThat(progress.take().nextOffset()).isEqualTo(1);
        assertThat(progress.idle()).isFalse();
    }

    private static ProducerRecord<byte[], byte[]> outcome(String topic) {
        return new ProducerRecord<>(topic, new byte[0]);
    }
}
