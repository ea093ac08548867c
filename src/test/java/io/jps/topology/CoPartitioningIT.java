package io.jps.topology;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jps.config.ConfigException;
import io.jps.support.Engines;
import io.jps.support.TestBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A request and its answer are handled in one partition, so the start refuses topics that are not co-partitioned. */
class CoPartitioningIT {

    @Test
    void refusesToStartWhenResponsesHaveAnotherPartitionCountThanRequests() throws Exception {
        try (TestBroker broker = TestBroker.start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            PipelineTopics topics = new PipelineTopics(Engines.config("topics:\n"
                    + "  requests: {name: co.requests}\n  sealed: {name: co.sealed}\n  responses: {name: co.responses}\n"));
            admin.createTopics(List.of(new NewTopic("co.requests", 6, (short) 1), new NewTopic("co.sealed", 6, (short) 1),
                    new NewTopic("co.responses", 3, (short) 1))).all().get();

            assertThatThrownBy(() -> CoPartitioning.check(admin, topics)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("co.requests has 6").hasMessageContaining("co.responses has 3")
                    .hasMessageContaining("co-partitioned");

            admin.createPartitions(Map.of("co.responses", NewPartitions.increaseTo(6))).all().get();
            // The broker's metadata learns of the new partitions a moment after the controller.
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThatCode(() -> CoPartitioning.check(admin, topics)).doesNotThrowAnyException());
        }
    }
}
