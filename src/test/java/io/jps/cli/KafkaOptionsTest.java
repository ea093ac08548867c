package io.jps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --kafka-properties as Kafka's own tools read it: plain keys for every client, prefixed keys for one kind only. */
class KafkaOptionsTest {

    @TempDir
    Path dir;

    @Test
    void givesEachKindOfClientThePlainKeysAndItsOwnPrefixedOnes() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, """
                security.protocol=SASL_SSL
                producer.compression.type=zstd
                consumer.max.poll.records=50
                admin.request.timeout.ms=9000
                streams.num.stream.threads=4
                """);
        KafkaOptions options = new KafkaOptions();
        new CommandLine(options).parseArgs("--kafka-properties", file.toString());

        var producer = options.producer(ConfigLoader.defaults());
        var consumer = options.consumer(ConfigLoader.defaults());
        var admin = options.admin(ConfigLoader.defaults());

        assertThat(producer).containsEntry("security.protocol", "SASL_SSL").containsEntry("compression.type", "zstd")
                .doesNotContainKeys("max.poll.records", "request.timeout.ms", "num.stream.threads", "producer.compression.type");
        assertThat(consumer).containsEntry("max.poll.records", "50").doesNotContainKey("compression.type");
        assertThat(admin).containsEntry("request.timeout.ms", "9000").containsEntry("security.protocol", "SASL_SSL");
        assertThat(producer).containsEntry("bootstrap.servers", ConfigLoader.defaults().bootstrapServers());
    }

    @Test
    void theCommandLinesBootstrapServersWinOverTheFileAndTheConfiguration() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "bootstrap.servers=from-file:9092\n");
        KafkaOptions fromFile = new KafkaOptions();
        new CommandLine(fromFile).parseArgs("--kafka-properties", file.toString());
        KafkaOptions fromOption = new KafkaOptions();
        new CommandLine(fromOption).parseArgs("--kafka-properties", file.toString(), "--bootstrap-servers", "from-option:9092");

        assertThat(fromFile.consumer(ConfigLoader.defaults())).containsEntry("bootstrap.servers", "from-file:9092");
        assertThat(fromOption.consumer(ConfigLoader.defaults())).containsEntry("bootstrap.servers", "from-option:9092");
    }
}
