package io.jps.support;

import io.jps.config.PipelineConfig;
import io.jps.engine.Engine;
import io.jps.observe.PipelineMetrics;
import io.jps.record.Json;
import io.jps.topology.PipelineTopics;
import io.jps.topology.PipelineTopology;
import io.jps.topology.StreamsSettings;
import io.jps.kafka.KafkaConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The pipeline's topology under {@link TopologyTestDriver}, with the product's own settings (exactly-once,
 * dead-letter handlers), the shared test keys, and input and output topics by role.
 */
public final class PipelineDriver implements AutoCloseable {

    public final Engine engine;
    public final PipelineTopics topics;
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final TopologyTestDriver driver;

    public PipelineDriver(PipelineConfig config, Clock clock) {
        this.engine = Engines.engine(config, clock);
        this.topics = new PipelineTopics(config);
        PipelineMetrics metrics = new PipelineMetrics(registry, config.providers().keySet());
        try {
            Path state = Files.createTempDirectory(Path.of("target"), "streams-state-");
            this.driver = new TopologyTestDriver(PipelineTopology.build(topics, engine, metrics),
                    StreamsSettings.of(config, topics, KafkaConnection.plaintext("unused:9092"), state, metrics));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public PipelineDriver() {
        this(Engines.config(null), Clock.systemUTC());
    }

    public TestInputTopic<byte[], byte[]> input(String topic) {
        return driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public TestOutputTopic<byte[], byte[]> output(String topic) {
        return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    public List<TestRecord<byte[], byte[]>> drain(String topic) {
        return output(topic).readRecordsToList();
    }

    public void sendRequest(Object request) {
        input(topics.requests().name()).pipeInput(new TestRecord<>(null, Json.writeBytes(request)));
    }

    public void sendRaw(String topic, byte[] key, byte[] value, Headers headers) {
        input(topic).pipeInput(new TestRecord<>(key, value, headers == null ? new RecordHeaders() : headers));
    }

    public double counter(String name, Map<String, String> tags) {
        var search = registry.find(name);
        tags.forEach(search::tag);
        var counter = search.counter();
        return counter == null ? 0 : counter.count();
    }

    public static String header(TestRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
        engine.close();
    }
}
