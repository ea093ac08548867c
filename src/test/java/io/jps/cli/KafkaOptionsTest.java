package io.jps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.config.ConfigLoader;
import io.jps.config.PipelineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Which cluster a command reaches, and with which client properties: the command line first, then the configuration. */
class KafkaOptionsTest {

    @TempDir
    Path dir;

    @Test
    void theCommandLineWinsOverTheConfiguration() throws Exception {
        Path fromConfig = Files.writeString(dir.resolve("config.properties"), "client.id=from-config\n");
        Path fromOption = Files.writeString(dir.resolve("option.properties"), "client.id=from-option\n");
        PipelineConfig config = ConfigLoader.load(null, Map.of("JPS_BOOTSTRAP_SERVERS", "configured:9092",
                "JPS_KAFKA_PROPERTIES", fromConfig.toString()));

        KafkaOptions none = new KafkaOptions();
        new CommandLine(none).parseArgs();
        KafkaOptions both = new KafkaOptions();
        new CommandLine(both).parseArgs("--bootstrap-servers", "given:9092", "--kafka-properties", fromOption.toString());

        assertThat(none.connect(config).bootstrapServers()).isEqualTo("configured:9092");
        assertThat(none.connect(config).producerConfig(Map.of())).containsEntry("client.id", "from-config");
        assertThat(both.connect(config).bootstrapServers()).isEqualTo("given:9092");
        assertThat(both.connect(config).producerConfig(Map.of())).containsEntry("client.id", "from-option")
                .containsEntry("bootstrap.servers", "given:9092");
    }
}
