package io.jps.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

// not "TestBrokerIT": surefire runs every class named Test*, and this one belongs to failsafe
class BrokerSelectionIT {

    @Test
    void servesClientsWhicheverBrokerIsSelected() throws Exception {
        try (TestBroker broker = TestBroker.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("test-broker", 1, (short) 1))).all().get();

            // The controller has the topic once createTopics returns; the broker's metadata catches up a moment later.
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(admin.listTopics().names().get()).contains("test-broker"));
        }
    }

    @Test
    void rejectsAnUnknownBrokerName() {
        String selected = System.getProperty(TestBroker.PROPERTY);
        System.setProperty(TestBroker.PROPERTY, "docker");
        try {
            assertThatThrownBy(TestBroker::start).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'docker'");
        } finally {
            if (selected == null) {
                System.clearProperty(TestBroker.PROPERTY);
            } else {
                System.setProperty(TestBroker.PROPERTY, selected);
            }
        }
    }
}
