package io.jps.support;

import io.jps.attest.AttestationKeyException;
import io.jps.attest.Attestor;
import io.jps.config.PipelineConfig;
import io.jps.engine.Engine;
import io.jps.observe.PipelineMetrics;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.ProviderResponse;
import io.jps.record.SealedRequest;
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
    public final Attestor attestor;
    public final PipelineTopics topics;
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final TopologyTestDriver driver;

    public PipelineDriver(PipelineConfig config, Clock clock) {
        this(config, clock, TestKeys.keys());
    }

    /** Over the keysets of {@code keysDir} (a {@link TestKeys#copy()}, for tests that change files). */
    public PipelineDriver(PipelineConfig config, Clock clock, Path keysDir) {
        this.engine = Engine.create(config, keysDir, Map.of(), clock);
        this.topics = new PipelineTopics(config);
        PipelineMetrics metrics = new PipelineMetrics(registry, config.providers().keySet());
        try {
            this.attestor = engine.attestor();
            Path state = Files.createTempDirectory(Path.of("target"), "streams-state-");
            this.driver = new TopologyTestDriver(PipelineTopology.build(topics, engine, attestor, metrics),
                    StreamsSettings.of(config, topics, KafkaConnection.plaintext("unused:9092"), state, metrics));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (AttestationKeyException e) {
            throw new IllegalStateException(e.getMessage());
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

    /** Sends a request through SEAL and returns what it sealed (it must have sealed it). */
    public SealedRequest seal(PaymentRequest request) {
        sendRequest(request);
        List<TestRecord<byte[], byte[]>> sealed = drain(topics.sealed().name());
        if (sealed.size() != 1) {
            throw new AssertionError("expected one sealed record for " + request.requestId() + ", got " + sealed.size()
                    + "; dead letters: " + drain(topics.dlqRequest().name()).stream().map(r -> header(r, "jps.error.reason")).toList());
        }
        try {
            return Json.MAPPER.readValue(sealed.get(0).value(), SealedRequest.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The dispatcher's record of an answer to {@code sealed}: received now. */
    public ProviderResponse response(SealedRequest sealed, int status, String body) {
        long now = engine.clock().millis();
        return new ProviderResponse(sealed.requestId(), sealed.provider(), sealed.account(), status,
                Map.of("Content-Type", "application/json"), body, 1, now - 50, now);
    }

    /** Puts an answer on payments.responses as the dispatcher would (attested); returns the value written. */
    public byte[] answer(SealedRequest sealed, int status, String body) {
        ProviderResponse response = response(sealed, status, body);
        return respond(response, attestor.attest(response));
    }

    /** Puts {@code response} on payments.responses with this attestation header (null: none); returns the value. */
    public byte[] respond(ProviderResponse response, String attestation) {
        byte[] value = Json.writeBytes(response);
        RecordHeaders headers = new RecordHeaders();
        headers.add("jps.request-id", response.requestId().getBytes(StandardCharsets.UTF_8));
        headers.add("jps.provider", response.provider().getBytes(StandardCharsets.UTF_8));
        headers.add("jps.account", response.account().getBytes(StandardCharsets.UTF_8));
        if (attestation != null) {
            headers.add("jps.attestation", attestation.getBytes(StandardCharsets.US_ASCII));
        }
        sendRaw(topics.responses().name(), response.requestId().getBytes(StandardCharsets.UTF_8), value, headers);
        return value;
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
