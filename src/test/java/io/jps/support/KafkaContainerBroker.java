package io.jps.support;

import org.testcontainers.kafka.KafkaContainer;

/** A single-node Kafka in Docker, for machines where one runs; {@link TestBroker} decides when. */
final class KafkaContainerBroker {

    // the same Kafka release as the embedded broker
    private static final String IMAGE = "apache/kafka:4.3.1";

    private KafkaContainerBroker() {
    }

    static TestBroker start() {
        // The container already sets the offsets and transaction-log replication to 1; the share coordinator's
        // state topic is left at its multi-node default.
        KafkaContainer container = new KafkaContainer(IMAGE)
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1");
        container.start();
        return new TestBroker(container.getBootstrapServers(), container::stop);
    }
}
