package io.jps.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.config.PipelineConfig;
import io.jps.engine.Engine;
import io.jps.kafka.KafkaConnection;
import io.jps.kafka.TopicAdmin;
import io.jps.observe.PipelineMetrics;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.SealedRequest;
import io.jps.seal.Sealed;
import io.jps.support.Engines;
import io.jps.support.KafkaClients;
import io.jps.support.TestBroker;
import io.jps.topology.HeaderNames;
import io.jps.topology.PipelineTopics;
import io.jps.topology.RecordIdentity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A dispatcher of its own (own group, own topics named {@code <name>.*}) on a real broker, and the seal stage's side
 * of the sealed topic: requests sealed as the seal stage seals them, or sealed records written as anyone with write
 * access could write them.
 */
final class DispatcherFixture implements AutoCloseable {

    final Engine engine;
    final PipelineTopics topics;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Dispatcher dispatcher;
    final DispatcherKafkaClients kafka;
    private final TestBroker broker;
    private final KafkaProducer<byte[], byte[]> producer;

    /** @param providersYaml the {@code providers:} section of the overlay, indented as under it */
    DispatcherFixture(TestBroker broker, String name, String providersYaml) {
        this(broker, name, providersYaml, Map.of());
    }

    /** @param clientProperties more Kafka client properties, as a client properties file would hold them */
    DispatcherFixture(TestBroker broker, String name, String providersYaml, Map<String, Object> clientProperties) {
        this.broker = broker;
        String prefix = name + ".";
        PipelineConfig config = Engines.config("bootstrapServers: " + broker.bootstrapServers() + "\n"
                + "dispatcher: {groupId: dispatcher-" + name + ", drainTimeout: PT10S}\n"
                + "topics:\n  sealed: {name: " + prefix + "sealed}\n  responses: {name: " + prefix + "responses}\n"
                + "  dlqDispatch: {name: " + prefix + "dlq.dispatch}\n"
                + "providers:\n" + providersYaml);
        engine = Engines.engine(config, Clock.systemUTC());
        try {
            topics = broker.createTopics(config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        kafka = new DispatcherKafkaClients(connection(broker, clientProperties), config.dispatcher());
        try {
            dispatcher = Dispatcher.start(engine, engine.attestor(), topics, new PipelineMetrics(registry, config.providers().keySet()),
                    kafka);
        } catch (io.jps.attest.AttestationKeyException e) {
            throw new IllegalStateException(e.getMessage());
        }
        producer = KafkaClients.producer(broker.bootstrapServers());
    }

    private static KafkaConnection connection(TestBroker broker, Map<String, Object> clientProperties) {
        if (clientProperties.isEmpty()) {
            return broker.connection();
        }
        try {
            Path file = Files.createTempFile(Path.of("target"), "client-", ".properties");
            StringBuilder lines = new StringBuilder();
            clientProperties.forEach((name, value) -> lines.append(name).append('=').append(value).append('\n'));
            Files.writeString(file, lines);
            return KafkaConnection.of(broker.bootstrapServers(), file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Seals a request as the seal stage would, puts it on the sealed topic, and returns its requestId. */
    String send(PaymentRequest request) throws Exception {
        Sealed sealed = engine.sealer().seal(request);
        sendSealed(sealed.request(), request.recordKey());
        return request.requestId();
    }

    /**
     * Puts a sealed record on the topic as it is, attested as the seal stage attests: what a seal stage with a bug,
     * or anyone holding the attestation key, could make. The dispatcher's own checks must still hold.
     */
    void sendSealed(SealedRequest sealed, String key) throws Exception {
        sendSealed(sealed, key, engine.attestor().attest(sealed));
    }

    /** Puts a sealed record on the topic with this attestation header (null: none), as anyone with write access can. */
    void sendSealed(SealedRequest sealed, String key, String attestation) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        new RecordIdentity(sealed.requestId(), sealed.provider(), sealed.account()).writeTo(headers);
        if (attestation != null) {
            headers.add(HeaderNames.ATTESTATION, attestation.getBytes(StandardCharsets.US_ASCII));
        }
        producer.send(new ProducerRecord<>(topics.sealed().name(), null, key.getBytes(StandardCharsets.UTF_8),
                Json.writeBytes(sealed), headers)).get();
    }

    /** Everything on the response and dispatch dead-letter topics once {@code count} have come and a second passed quietly. */
    List<ConsumerRecord<byte[], byte[]>> awaitOutcomes(int count) {
        return awaitOutcomes(count, Duration.ofSeconds(60));
    }

    List<ConsumerRecord<byte[], byte[]>> awaitOutcomes(int count, Duration max) {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaClients.readUntilQuiet(broker.bootstrapServers(),
                List.of(topics.responses().name(), topics.dlqDispatch().name()), count, Duration.ofSeconds(1), max);
        assertThat(records).hasSize(count);
        return records;
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return RecordIdentity.text(record.headers(), name);
    }

    @Override
    public void close() {
        dispatcher.close();
        producer.close();
        engine.close();
    }
}
