package io.jps.topology;

import io.jps.config.PipelineConfig;
import io.jps.config.TopicSpec;
import io.jps.config.Topics;
import io.jps.profile.ProviderProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every topic of the pipeline by role, with its serdes, and the result topic of each provider. */
public final class PipelineTopics {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineTopics.class);

    private final Topics specs;
    private final Map<String, String> resultTopicByProvider;

    public PipelineTopics(PipelineConfig config) {
        this.specs = config.topics();
        Map<String, String> byProvider = new LinkedHashMap<>();
        config.providers().values().stream().sorted(java.util.Comparator.comparing(ProviderProfile::name))
                .forEach(p -> byProvider.put(p.name(), p.resultTopic() != null ? p.resultTopic() : specs.results().name()));
        this.resultTopicByProvider = Map.copyOf(byProvider);
    }

    private PipelineTopics(Topics specs, Map<String, String> resultTopicByProvider) {
        this.specs = specs;
        this.resultTopicByProvider = resultTopicByProvider;
    }

    /**
     * The same topics shaped for a cluster of {@code brokers} brokers (see {@link TopicSpec#cappedTo}), with a warning
     * for each topic whose configured replication that cluster cannot hold.
     */
    public PipelineTopics replicationCappedTo(int brokers) {
        Topics capped = specs.map(spec -> {
            TopicSpec fitting = spec.cappedTo(brokers);
            if (!fitting.equals(spec)) {
                LOG.warn("topic {}{}: replication factor {} and min.insync.replicas {} are more than a cluster of {} broker(s) "
                                + "holds; using {} and {} where this app creates it", spec.name(),
                        spec == specs.results() ? " (and Kafka Streams' internal topics)" : "", spec.replicationFactor(),
                        spec.minInsyncReplicas(), brokers, fitting.replicationFactor(), fitting.minInsyncReplicas());
            }
            return fitting;
        });
        return new PipelineTopics(capped, resultTopicByProvider);
    }

    public Topic<byte[], byte[]> requests() {
        return Topic.raw(specs.requests().name());
    }

    public Topic<byte[], byte[]> sealed() {
        return Topic.raw(specs.sealed().name());
    }

    public Topic<byte[], byte[]> responses() {
        return Topic.raw(specs.responses().name());
    }

    public Topic<byte[], byte[]> dlqRequest() {
        return Topic.raw(specs.dlqRequest().name());
    }

    public Topic<byte[], byte[]> dlqDispatch() {
        return Topic.raw(specs.dlqDispatch().name());
    }

    public Topic<byte[], byte[]> dlqDecryption() {
        return Topic.raw(specs.dlqDecryption().name());
    }

    public Topic<byte[], byte[]> dlqSignature() {
        return Topic.raw(specs.dlqSignature().name());
    }

    /** The markers of what {@code dlq replay} moved back; not one of the stages' topics. */
    public TopicSpec dlqReplayed() {
        return specs.dlqReplayed();
    }

    /** Where a provider's results go: its own topic when its profile names one, else the shared one. */
    public String resultTopicOf(String provider) {
        return resultTopicByProvider.getOrDefault(provider, specs.results().name());
    }

    /** The shared result topic and every provider's own, each once. */
    public List<String> resultTopics() {
        List<String> names = new ArrayList<>(List.of(specs.results().name()));
        resultTopicByProvider.values().stream().distinct().filter(name -> !names.contains(name)).forEach(names::add);
        return names;
    }

    /** Every topic to exist before the stages start: the configured ones and the providers' own result topics. */
    public List<TopicSpec> toCreate() {
        List<TopicSpec> all = new ArrayList<>(specs.all());
        all.addAll(ownResultTopics());
        return all;
    }

    /** The topics the seal and open stages read or write. */
    public List<TopicSpec> ofStages() {
        List<TopicSpec> used = new ArrayList<>(List.of(specs.requests(), specs.sealed(), specs.responses(), specs.results(),
                specs.dlqRequest(), specs.dlqDecryption(), specs.dlqSignature()));
        used.addAll(ownResultTopics());
        return used;
    }

    /** The topics the dispatcher reads or writes. */
    public List<TopicSpec> ofDispatcher() {
        return List.of(specs.sealed(), specs.responses(), specs.dlqDispatch());
    }

    /** Replication of Kafka Streams' internal topics (changelogs): as the result topic's. */
    public short internalReplicationFactor() {
        return specs.results().replicationFactor();
    }

    /** min.insync.replicas of Kafka Streams' internal topics: as the result topic's. */
    public int internalMinInsyncReplicas() {
        return specs.results().minInsyncReplicas();
    }

    private List<TopicSpec> ownResultTopics() {
        TopicSpec shared = specs.results();
        return resultTopics().stream()
                .filter(name -> specs.all().stream().noneMatch(t -> t.name().equals(name)))
                .map(name -> new TopicSpec(name, shared.partitions(), shared.replicationFactor(), shared.minInsyncReplicas()))
                .toList();
    }
}
