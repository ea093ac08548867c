package io.jps.cli;

import io.jps.config.ConfigException;
import io.jps.config.PipelineConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * {@code --bootstrap-servers} and {@code --kafka-properties FILE} of the commands that talk to Kafka, as the client
 * properties of each kind of client. A stand-in, kept to this one class, until the shared Kafka connection mixin
 * replaces it: the file follows Kafka's own tools, plain keys for every client and {@code producer.},
 * {@code consumer.}, {@code admin.} (and {@code streams.}) keys for that kind only.
 */
final class KafkaOptions {

    private static final List<String> KINDS = List.of("producer", "consumer", "admin", "streams");

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
            description = "Kafka bootstrap servers (default: bootstrapServers of the configuration)")
    String bootstrapServers;

    @Option(names = "--kafka-properties", paramLabel = "FILE",
            description = "Kafka client properties: plain keys for every client, producer./consumer./admin. keys for that kind")
    Path kafkaProperties;

    Map<String, Object> producer(PipelineConfig config) {
        return forKind("producer", config);
    }

    Map<String, Object> consumer(PipelineConfig config) {
        return forKind("consumer", config);
    }

    Map<String, Object> admin(PipelineConfig config) {
        return forKind("admin", config);
    }

    private Map<String, Object> forKind(String kind, PipelineConfig config) {
        Map<String, Object> properties = new HashMap<>();
        Map<String, Object> ofKind = new HashMap<>();
        fileProperties().forEach((key, value) -> {
            int dot = key.indexOf('.');
            String prefix = dot < 0 ? "" : key.substring(0, dot);
            if (!KINDS.contains(prefix)) {
                properties.put(key, value);
            } else if (prefix.equals(kind)) {
                ofKind.put(key.substring(dot + 1), value);
            }
        });
        properties.putAll(ofKind);
        if (bootstrapServers != null) {
            properties.put("bootstrap.servers", bootstrapServers);
        } else {
            properties.putIfAbsent("bootstrap.servers", config.bootstrapServers());
        }
        return properties;
    }

    private Map<String, String> fileProperties() {
        Map<String, String> found = new HashMap<>();
        if (kafkaProperties == null) {
            return found;
        }
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(kafkaProperties)) {
            file.load(reader);
        } catch (IOException e) {
            throw new ConfigException("--kafka-properties " + kafkaProperties + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        file.stringPropertyNames().forEach(name -> found.put(name, file.getProperty(name)));
        return found;
    }
}
