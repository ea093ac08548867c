package io.jps.refunds;

import io.jps.topology.PipelineTopics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Where a provider's requests end: its result topic and the four dead-letter topics, each with the ending it means. */
final class OutcomeTopics {

    private final Map<String, Ending> endingByTopic;

    private OutcomeTopics(Map<String, Ending> endingByTopic) {
        this.endingByTopic = endingByTopic;
    }

    static OutcomeTopics of(PipelineTopics topics, String provider) {
        Map<String, Ending> byTopic = new LinkedHashMap<>();
        byTopic.put(topics.resultTopicOf(provider), Ending.SUCCEEDED);
        byTopic.put(topics.dlqRequest().name(), Ending.REQUEST_DEAD_LETTER);
        byTopic.put(topics.dlqDispatch().name(), Ending.DISPATCH_DEAD_LETTER);
        byTopic.put(topics.dlqDecryption().name(), Ending.ANSWER_DEAD_LETTER);
        byTopic.put(topics.dlqSignature().name(), Ending.ANSWER_DEAD_LETTER);
        return new OutcomeTopics(Map.copyOf(byTopic));
    }

    Set<String> names() {
        return endingByTopic.keySet();
    }

    boolean isResultTopic(String topic) {
        return endingByTopic.get(topic) == Ending.SUCCEEDED;
    }

    /** For a dead-letter topic, the ending a dead letter there means. */
    Ending deadLetterEnding(String topic) {
        return endingByTopic.get(topic);
    }
}
