package io.jps.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.profile.Stage;
import io.jps.support.KafkaClients;
import io.jps.support.TestBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Consumer lag from a real broker's committed offsets: what a group has not committed, summed over partitions. */
class ConsumerLagMonitorIT {

    private static final String TOPIC = "lag.topic";

    @Test
    void lagIsWhatEachGroupHasNotCommittedAndIgnoresOpenTransactions() throws Exception {
        try (TestBroker broker = TestBroker.start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
             KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker.bootstrapServers());
             KafkaProducer<byte[], byte[]> transactional = transactionalProducer(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, null, new byte[] {1})).get();
            }
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 1, null, new byte[] {1})).get();
            }
            // Written but not committed: read_committed stages cannot consume these yet, so they are no lag.
            transactional.initTransactions();
            transactional.beginTransaction();
            for (int i = 0; i < 3; i++) {
                transactional.send(new ProducerRecord<>(TOPIC, 1, null, new byte[] {2})).get();
            }
            admin.alterConsumerGroupOffsets("halfway", Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(4))).all().get();

            ConsumerLagMonitor.Watched halfway = new ConsumerLagMonitor.Watched(Stage.DISPATCH, "halfway", TOPIC);
            ConsumerLagMonitor.Watched never = new ConsumerLagMonitor.Watched(Stage.SEAL, "never-committed", TOPIC);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (ConsumerLagMonitor monitor = ConsumerLagMonitor.start(Admin.create(Map.of("bootstrap.servers",
                    broker.bootstrapServers())), List.of(halfway, never), new PipelineMetrics(registry, Set.of()),
                    Duration.ofMillis(200))) {
                assertThat(monitor.measure()).isEqualTo(Map.of(halfway, 6.0 + 5.0, never, 10.0 + 5.0));
                Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(registry.get("jps.consumer.lag").tag("group", "halfway").tag("stage", "dispatch").gauge().value())
                            .isEqualTo(11.0);
                    assertThat(registry.get("jps.consumer.lag").tag("group", "never-committed").gauge().value()).isEqualTo(15.0);
                });
            }
            transactional.abortTransaction();
        }
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "lag-test"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }
}
