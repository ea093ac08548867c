package io.jps.topology;

import io.jps.config.PipelineConfig;
import io.jps.config.TopicSpec;
import io.jps.config.Topics;
import io.jps.profile.ProviderProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every topic of the pipeline by role, with its serdes, and the result topic of each provider. */
public final class PipelineTopics {

    private final Topics specs;
    private final Map<String, String> resultTopicByProvider;

    public PipelineTopics(PipelineConfig config) {
        this.specs = config.topics();
        Map<String, String> byProvider = new LinkedHashMap<>();
        config.providers().values().stream().sorted(java.util.Comparator.comparing(ProviderProfile::name))
                .forEach(p -> byProvider.put(p.name(), p.resultTopic() != null ? p.resultTopic() : specs.results().name()));
        this.resultTopicByProvider = Map.copyOf(byProvider);
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
        resultTopics().stream()
                .filter(name -> all.stream().noneMatch(t -> t.name().equals(name)))
                .forEach(name -> all.add(new TopicSpec(name, specs.results().partitions(), specs.results().replicationFactor())));
        return all;
    }
}
