package io.jps.cli;

import io.jps.config.PipelineConfig;
import io.jps.kafka.KafkaConnection;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of every command that talks to Kafka: which cluster, and the client properties that reach it. */
final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (default: bootstrapServers of the configuration)")
    String bootstrapServers;

    @Option(names = "--kafka-properties", paramLabel = "FILE",
            description = {"Kafka client properties for every client (security.protocol, sasl.*, ssl.*, ...); keys prefixed",
                    "producer., consumer., admin. or streams. apply to that kind only; secrets through config providers,",
                    "e.g. ${env:NAME} (default: kafkaProperties of the configuration)"})
    Path kafkaProperties;

    KafkaConnection connect(PipelineConfig config) {
        return KafkaConnection.of(bootstrapServers != null ? bootstrapServers : config.bootstrapServers(),
                kafkaProperties != null ? kafkaProperties : config.kafkaProperties());
    }
}
