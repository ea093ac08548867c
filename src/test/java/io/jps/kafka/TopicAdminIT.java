package io.jps.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.config.TopicSpec;
import io.jps.support.TestBroker;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicAdminIT {

    @Test
    void createsWhatIsMissingAndReportsAPartitionCountThatDiffers() throws Exception {
        try (TestBroker broker = TestBroker.start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("existing.requests", 2, (short) 1))).all().get();

            TopicAdmin.Report report = TopicAdmin.ensure(admin, List.of(
                    new TopicSpec("existing.requests", 6, (short) 1), new TopicSpec("new.results", 3, (short) 1)));

            assertThat(report.created()).containsExactly("new.results");
            assertThat(report.mismatched()).singleElement().asString()
                    .contains("existing.requests has 2 partitions").contains("says 6");
            assertThat(admin.describeTopics(List.of("new.results")).allTopicNames().get().get("new.results").partitions()).hasSize(3);
            assertThat(TopicAdmin.ensure(admin, List.of(new TopicSpec("new.results", 3, (short) 1))).created()).isEmpty();
        }
    }
}
