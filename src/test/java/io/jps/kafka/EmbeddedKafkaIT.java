package io.jps.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {

    private static final Path TARGET = Path.of("target", "kafka");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void deliversOnlyCommittedTransactionsThenReleasesItsPortAndData() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(TARGET);
        String topic = "tx-" + UUID.randomUUID();
        createTopic(kafka, topic);

        try (KafkaProducer<String, String> producer = transactionalProducer(kafka)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted")).get();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed")).get();
            producer.commitTransaction();
        }

        assertThat(readCommitted(kafka, topic, "committed")).containsExactly("committed");

        int port = port(kafka.bootstrapServers());
        Path dataDir = kafka.dataDir();
        kafka.close();

        assertThat(dataDir).doesNotExist();
        assertThatCode(() -> new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1")).close())
                .doesNotThrowAnyException();
    }

    @Test
    void formatsWithTheLatestProductionMetadataVersion() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(TARGET); Admin admin = admin(kafka)) {
            short level = admin.describeFeatures().featureMetadata().get()
                    .finalizedFeatures().get(MetadataVersion.FEATURE_NAME).maxVersionLevel();

            assertThat(MetadataVersion.fromFeatureLevel(level)).isEqualTo(MetadataVersion.latestProduction());
        }
    }

    @Test
    void twoBrokersInOneJvmDoNotCollide() throws Exception {
        try (EmbeddedKafka first = EmbeddedKafka.start(TARGET); EmbeddedKafka second = EmbeddedKafka.start(TARGET)) {
            assertThat(first.bootstrapServers()).isNotEqualTo(second.bootstrapServers());
            assertThat(first.dataDir()).isNotEqualTo(second.dataDir());

            createTopic(first, "only-on-first");
            createTopic(second, "only-on-second");

            assertThat(topics(first)).contains("only-on-first").doesNotContain("only-on-second");
            assertThat(topics(second)).contains("only-on-second").doesNotContain("only-on-first");
        }
    }

    private static void createTopic(EmbeddedKafka kafka, String topic) throws Exception {
        try (Admin admin = admin(kafka)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    private static Set<String> topics(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = admin(kafka)) {
            return admin.listTopics().names().get();
        }
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-kafka-it"),
                new StringSerializer(), new StringSerializer());
    }

    // Reads in a consumer group, so the group coordinator (and its offsets topic) is exercised too.
    private static List<String> readCommitted(EmbeddedKafka kafka, String topic, String lastExpected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "embedded-kafka-it",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!values.contains(lastExpected) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            consumer.commitSync();
        }
        return values;
    }

    private static int port(String bootstrapServers) {
        return Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
    }
}
