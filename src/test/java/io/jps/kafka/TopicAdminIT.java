package io.jps.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jps.config.ConfigException;
import io.jps.config.TopicSpec;
import io.jps.support.Engines;
import io.jps.support.TestBroker;
import io.jps.topology.PipelineTopics;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TopicAdminIT {

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void createsWhatIsMissingAndReportsAPartitionCountThatDiffers() throws Exception {
        try (Admin admin = broker.connection().admin()) {
            create(admin, new NewTopic("existing.requests", 2, (short) 1));

            TopicAdmin.Report report = TopicAdmin.ensure(admin, List.of(
                    new TopicSpec("existing.requests", 6, (short) 1, 1), new TopicSpec("new.results", 3, (short) 1, 1)));

            assertThat(report.created()).containsExactly("new.results");
            assertThat(report.mismatched()).singleElement().asString()
                    .contains("existing.requests has 2 partitions").contains("says 6");
            // known to the broker, not only to the controller, when ensure returns
            assertThat(admin.describeTopics(List.of("new.results")).allTopicNames().get().get("new.results").partitions()).hasSize(3);
            assertThat(TopicAdmin.ensure(admin, List.of(new TopicSpec("new.results", 3, (short) 1, 1))).created()).isEmpty();
        }
    }

    @Test
    void onlyChecksWhenAskedNamingTheMissingTopicAndTheDifferentPartitionCount() throws Exception {
        try (Admin admin = broker.connection().admin()) {
            create(admin, new NewTopic("checked.sealed", 4, (short) 1), new NewTopic("checked.results", 6, (short) 1));

            assertThatThrownBy(() -> TopicAdmin.check(admin, List.of(new TopicSpec("checked.requests", 6, (short) 1, 1),
                    new TopicSpec("checked.sealed", 6, (short) 1, 1), new TopicSpec("checked.results", 6, (short) 1, 1))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("checked.requests does not exist (expected with 6 partitions)")
                    .hasMessageContaining("checked.sealed has 4 partitions, the configuration says 6")
                    .message().doesNotContain("checked.results");
            assertThat(admin.listTopics().names().get()).doesNotContain("checked.requests");
            TopicAdmin.check(admin, List.of(new TopicSpec("checked.results", 6, (short) 1, 1)));
        }
    }

    @Test
    void createsTheProductionDefaultsCappedToTheClustersBrokers() throws Exception {
        PipelineTopics topics = new PipelineTopics(Engines.config("topics:\n  dlqSignature: {name: capped.dlq.signature}\n"));
        try (Admin admin = broker.connection().admin()) {
            int brokers = TopicAdmin.brokerCount(admin);
            TopicSpec capped = topics.replicationCappedTo(brokers).toCreate().stream()
                    .filter(t -> t.name().equals("capped.dlq.signature")).findFirst().orElseThrow();

            TopicAdmin.ensure(admin, List.of(capped));

            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "capped.dlq.signature");
            assertThat(brokers).isEqualTo(1);
            assertThat(admin.describeTopics(Set.of("capped.dlq.signature")).allTopicNames().get().get("capped.dlq.signature")
                    .partitions().get(0).replicas()).hasSize(1);
            assertThat(admin.describeConfigs(Set.of(resource)).all().get().get(resource)
                    .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("1");
        }
    }

    /** Creates the topics and waits until the broker, not only the controller, knows them. */
    private static void create(Admin admin, NewTopic... topics) throws Exception {
        admin.createTopics(List.of(topics)).all().get();
        List<String> names = Stream.of(topics).map(NewTopic::name).toList();
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> admin.describeTopics(names).allTopicNames().get().size() == names.size());
    }
}
