package io.jps.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicSpecTest {

    private final TopicSpec production = new TopicSpec("payments.sealed", 6, (short) 3, 2);

    @Test
    void keepsItsShapeOnAClusterLargeEnough() {
        assertThat(production.cappedTo(3)).isEqualTo(production);
        assertThat(production.cappedTo(5)).isEqualTo(production);
    }

    @Test
    void neverAsksForMoreReplicasOrInSyncReplicasThanTheClusterHasBrokers() {
        assertThat(production.cappedTo(2)).isEqualTo(new TopicSpec("payments.sealed", 6, (short) 2, 2));
        assertThat(production.cappedTo(1)).isEqualTo(new TopicSpec("payments.sealed", 6, (short) 1, 1));
    }
}
