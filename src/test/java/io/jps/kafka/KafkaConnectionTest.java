package io.jps.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jps.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConnectionTest {

    private static final String SERVERS = "broker-1:9093";

    @TempDir
    Path dir;

    @Test
    void plainKeysReachEveryClientAndPrefixedKeysOnlyTheirKindWinningOverPlainOnes() throws Exception {
        KafkaConnection kafka = connection("""
                security.protocol=SASL_SSL
                request.timeout.ms=20000
                producer.linger.ms=25
                producer.request.timeout.ms=40000
                consumer.max.poll.records=50
                admin.retries=7
                streams.num.standby.replicas=1
                """);

        assertThat(kafka.adminConfig()).containsOnly(Map.entry("bootstrap.servers", SERVERS),
                Map.entry("security.protocol", "SASL_SSL"), Map.entry("request.timeout.ms", "20000"), Map.entry("retries", "7"));
        assertThat(kafka.producerConfig(Map.of("acks", "all"))).containsOnly(Map.entry("bootstrap.servers", SERVERS),
                Map.entry("acks", "all"), Map.entry("security.protocol", "SASL_SSL"), Map.entry("request.timeout.ms", "40000"),
                Map.entry("linger.ms", "25"));
        assertThat(kafka.consumerConfig(Map.of("group.id", "g"))).containsOnly(Map.entry("bootstrap.servers", SERVERS),
                Map.entry("group.id", "g"), Map.entry("security.protocol", "SASL_SSL"), Map.entry("request.timeout.ms", "20000"),
                Map.entry("max.poll.records", "50"));
    }

    @Test
    void streamsTakesPlainKeysAsTheyAreItsOwnWithoutThePrefixAndClientPrefixesAsStreamsReadsThem() throws Exception {
        KafkaConnection kafka = connection("""
                security.protocol=SASL_SSL
                producer.linger.ms=25
                consumer.max.poll.records=50
                admin.retries=7
                streams.num.standby.replicas=1
                """);
        Properties base = new Properties();
        base.put(StreamsConfig.APPLICATION_ID_CONFIG, "app");

        assertThat(kafka.streams(base)).containsOnly(Map.entry("bootstrap.servers", SERVERS), Map.entry("application.id", "app"),
                Map.entry("security.protocol", "SASL_SSL"), Map.entry("producer.linger.ms", "25"),
                Map.entry("consumer.max.poll.records", "50"), Map.entry("admin.retries", "7"),
                Map.entry("num.standby.replicas", "1"));
    }

    @Test
    void refusesAKeyTheAppSetsItselfNamingTheKeyButNotItsValue() throws Exception {
        KafkaConnection kafka = connection("consumer.isolation.level=read-uncommitted-value\n");

        assertThatThrownBy(() -> kafka.consumerConfig(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("isolation.level").hasMessageContaining("consumer")
                .message().doesNotContain("read-uncommitted-value");
        Properties base = new Properties();
        base.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        assertThatThrownBy(() -> connection("streams.processing.guarantee=at_least_once\n").streams(base))
                .isInstanceOf(ConfigException.class).hasMessageContaining("processing.guarantee");
    }

    @Test
    void refusesBootstrapServersInTheFileForThereIsOnePlaceForThem() throws Exception {
        assertThatThrownBy(() -> connection("bootstrap.servers=elsewhere:9092\n").adminConfig())
                .isInstanceOf(ConfigException.class).hasMessageContaining("bootstrapServers");
    }

    @Test
    void kafkaResolvesSecretsFromTheEnvironmentAFileAndADirectory() throws Exception {
        Path secrets = Files.writeString(dir.resolve("secrets.properties"), "password=from-a-file\n");
        Path secretDir = Files.createDirectories(dir.resolve("mounted"));
        Files.writeString(secretDir.resolve("truststore-password"), "from-a-directory");
        KafkaConnection kafka = connection("""
                config.providers=env,file,dir
                config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
                config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider
                config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                  username="jps" password="${file:%s:password}";
                ssl.truststore.password=${dir:%s:truststore-password}
                producer.ssl.keystore.password=${env:PATH}
                """.formatted(secrets, secretDir));
        Map<String, Object> producer = new HashMap<>(kafka.producerConfig(Map.of()));
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        Map<String, Object> consumer = new HashMap<>(kafka.consumerConfig(Map.of()));
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Properties streamsBase = new Properties();
        streamsBase.put(StreamsConfig.APPLICATION_ID_CONFIG, "app");

        ProducerConfig producerConfig = new ProducerConfig(producer);
        assertThat(producerConfig.getPassword(SaslConfigs.SASL_JAAS_CONFIG).value()).contains("password=\"from-a-file\"");
        assertThat(producerConfig.getPassword("ssl.truststore.password").value()).isEqualTo("from-a-directory");
        assertThat(producerConfig.getPassword("ssl.keystore.password").value()).isEqualTo(System.getenv("PATH"));
        assertThat(new ConsumerConfig(consumer).getPassword(SaslConfigs.SASL_JAAS_CONFIG).value()).contains("from-a-file");
        assertThat(new AdminClientConfig(kafka.adminConfig()).getPassword(SaslConfigs.SASL_JAAS_CONFIG).value())
                .contains("from-a-file");
        assertThat(new StreamsConfig(kafka.streams(streamsBase)).getMainConsumerConfigs("app", "client", 0)
                .get(SaslConfigs.SASL_JAAS_CONFIG)).asString().contains("from-a-file");
    }

    @Test
    void aMissingFileIsAConfigurationErrorNamingIt() {
        Path missing = dir.resolve("client.properties");
        assertThatThrownBy(() -> KafkaConnection.of(SERVERS, missing))
                .isInstanceOf(ConfigException.class).hasMessageContaining(missing.toString()).hasMessageContaining("no such file");
    }

    private KafkaConnection connection(String properties) throws Exception {
        return KafkaConnection.of(SERVERS, Files.writeString(dir.resolve("client-" + System.nanoTime() + ".properties"), properties));
    }
}
