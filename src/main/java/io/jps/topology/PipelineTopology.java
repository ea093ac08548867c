package io.jps.topology;

import io.jps.engine.Engine;
import io.jps.observe.PipelineMetrics;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * The whole Kafka Streams topology, in the order data flows; {@code run}, {@code demo} and the tests all
 * build it here.
 *
 * <pre>
 * payments.requests  -> seal -> payments.sealed          | payments.dlq.request
 * payments.responses -> open -> payments.results (or the provider's own result topic)
 *                                                       | payments.dlq.decryption | payments.dlq.signature
 * </pre>
 */
public final class PipelineTopology {

    private PipelineTopology() {
    }

    public static Topology build(PipelineTopics topics, Engine engine, PipelineMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        Duration retention = engine.config().open().dedupRetention();
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(OpenProcessor.DEDUP_STORE, retention, retention, false),
                Serdes.String(), Serdes.Long()));

        KStream<byte[], Outgoing> sealed = builder
                .stream(topics.requests().name(), topics.requests().consumed().withName("requests"))
                .process(() -> new SealProcessor(engine, metrics), Named.as("seal"));
        sealed.split(Named.as("seal-"))
                .branch((key, out) -> out.goesTo(Outgoing.Route.DLQ_REQUEST),
                        Branched.withConsumer(s -> sendTo(s, topics.dlqRequest(), "dlq-request"), "dlq-request"))
                .defaultBranch(Branched.withConsumer(s -> sendTo(s, topics.sealed(), "sealed"), "sealed"));

        KStream<byte[], Outgoing> opened = builder
                .stream(topics.responses().name(), topics.responses().consumed().withName("responses"))
                .process(() -> new OpenProcessor(engine, metrics, retention), Named.as("open"), OpenProcessor.DEDUP_STORE);
        opened.split(Named.as("open-"))
                .branch((key, out) -> out.goesTo(Outgoing.Route.DLQ_DECRYPTION),
                        Branched.withConsumer(s -> sendTo(s, topics.dlqDecryption(), "dlq-decryption"), "dlq-decryption"))
                .branch((key, out) -> out.goesTo(Outgoing.Route.DLQ_SIGNATURE),
                        Branched.withConsumer(s -> sendTo(s, topics.dlqSignature(), "dlq-signature"), "dlq-signature"))
                .defaultBranch(Branched.withConsumer(s -> s
                        .mapValues(Outgoing::value, Named.as("results-value"))
                        .to(new ResultTopicOfProvider(topics), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                                .withName("results")), "results"));
        return builder.build();
    }

    /** A provider may have its own result topic; the identity header says whose result a record is. */
    private record ResultTopicOfProvider(PipelineTopics topics) implements TopicNameExtractor<byte[], byte[]> {
        @Override
        public String extract(byte[] key, byte[] value, RecordContext recordContext) {
            return topics.resultTopicOf(RecordIdentity.of(recordContext.headers()).provider());
        }

        @Override
        public String toString() {
            return "the result topic of the record's provider";
        }
    }

    private static void sendTo(KStream<byte[], Outgoing> stream, Topic<byte[], byte[]> topic, String name) {
        stream.mapValues(Outgoing::value, Named.as(name + "-value")).to(topic.name(), topic.produced().withName(name));
    }
}
