package io.jps.topology;

import io.jps.attest.Attestor;
import io.jps.engine.Engine;
import io.jps.observe.PipelineMetrics;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * The whole Kafka Streams topology, in the order data flows; {@code run}, {@code demo} and the tests all
 * build it here. SEAL and OPEN share the store of the requests sealed, so they form one sub-topology over
 * co-partitioned {@code payments.requests} and {@code payments.responses}.
 *
 * <pre>
 * payments.requests  -> seal -> payments.sealed          | payments.dlq.request
 *                        |  (remembers each request in sent-requests)
 * payments.responses -> open -> payments.results (or the provider's own result topic)
 *                                                       | payments.dlq.decryption | payments.dlq.signature
 * </pre>
 */
public final class PipelineTopology {

    /** What the branches write: the bytes of an {@link Outgoing}; where it goes was decided before. */
    private static final Serde<Outgoing> OUTGOING = Serdes.serdeFrom((topic, out) -> out.value(), (topic, bytes) -> {
        throw new UnsupportedOperationException("Outgoing is written, never read");
    });

    private PipelineTopology() {
    }

    public static Topology build(PipelineTopics topics, Engine engine, Attestor attestor, PipelineMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(SentRequests.storeBuilder(engine.config().open().dedupRetention()));
        DeadLetterWriter deadLetters = new DeadLetterWriter(metrics);

        KStream<byte[], Outgoing> sealed = builder
                .stream(topics.requests().name(), topics.requests().consumed().withName("requests"))
                .process(() -> new SealProcessor(engine.requestParser(), engine.sealer(), attestor, deadLetters,
                        topics.dlqRequest().name(), metrics), Named.as("seal"), SentRequests.STORE);
        sealed.split(Named.as("seal-"))
                .branch((key, out) -> out.goesTo(Outgoing.Route.DLQ_REQUEST),
                        Branched.withConsumer(s -> sendTo(s, topics.dlqRequest(), "dlq-request"), "dlq-request"))
                .defaultBranch(Branched.withConsumer(s -> s.to(topics.sealed().name(),
                        Produced.with(Serdes.ByteArray(), OUTGOING).withStreamPartitioner(new PartitionOfTheRequest())
                                .withName("sealed")), "sealed"));

        KStream<byte[], Outgoing> opened = builder
                .stream(topics.responses().name(), topics.responses().consumed().withName("responses"))
                .process(() -> new OpenProcessor(engine.opener(), attestor, deadLetters, topics, metrics, engine.clock()),
                        Named.as("open"), SentRequests.STORE);
        opened.split(Named.as("open-"))
                .branch((key, out) -> out.goesTo(Outgoing.Route.DLQ_DECRYPTION),
                        Branched.withConsumer(s -> sendTo(s, topics.dlqDecryption(), "dlq-decryption"), "dlq-decryption"))
                .branch((key, out) -> out.goesTo(Outgoing.Route.DLQ_SIGNATURE),
                        Branched.withConsumer(s -> sendTo(s, topics.dlqSignature(), "dlq-signature"), "dlq-signature"))
                .defaultBranch(Branched.withConsumer(s -> s.to(new ResultTopicOfProvider(topics),
                        Produced.with(Serdes.ByteArray(), OUTGOING).withName("results")), "results"));
        return builder.build();
    }

    /**
     * A sealed request goes to the partition its request came from, whatever key the request was produced with:
     * the dispatcher answers into the same partition of {@code payments.responses}, where the task that
     * remembers the request will open the answer.
     */
    private static final class PartitionOfTheRequest implements StreamPartitioner<byte[], Outgoing> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, byte[] key, Outgoing out, int numPartitions) {
            return Optional.of(Set.of(out.partition()));
        }

        @Override
        public String toString() {
            return "the partition of the request";
        }
    }

    /** A provider may have its own result topic; the identity header says whose result a record is. */
    private record ResultTopicOfProvider(PipelineTopics topics) implements TopicNameExtractor<byte[], Outgoing> {
        @Override
        public String extract(byte[] key, Outgoing value, RecordContext recordContext) {
            return topics.resultTopicOf(RecordIdentity.of(recordContext.headers()).provider());
        }

        @Override
        public String toString() {
            return "the result topic of the record's provider";
        }
    }

    private static void sendTo(KStream<byte[], Outgoing> stream, Topic<byte[], byte[]> topic, String name) {
        stream.to(topic.name(), Produced.with(Serdes.ByteArray(), OUTGOING).withName(name));
    }
}
