package io.jps.dlq;

import io.jps.topology.PipelineTopics;
import java.util.Optional;

/**
 * Which stage a dead-letter topic holds the failures of, and so which topic its records came from and may go back
 * to. A {@code jps.error.source-topic} header naming any other topic is not followed: whoever can write a
 * dead-letter topic must not be able to steer a replay onto, say, the result topic.
 */
public enum DeadLetterKind {
    /** payments.dlq.request: requests that could not be sealed; they came from payments.requests. */
    REQUEST,
    /** payments.dlq.dispatch: sealed requests that were not, or not surely, delivered; from payments.sealed. */
    DISPATCH,
    /** payments.dlq.decryption and payments.dlq.signature: answers that did not open; from payments.responses. */
    ANSWER;

    public static Optional<DeadLetterKind> of(PipelineTopics topics, String topic) {
        if (topic.equals(topics.dlqRequest().name())) {
            return Optional.of(REQUEST);
        }
        if (topic.equals(topics.dlqDispatch().name())) {
            return Optional.of(DISPATCH);
        }
        if (topic.equals(topics.dlqDecryption().name()) || topic.equals(topics.dlqSignature().name())) {
            return Optional.of(ANSWER);
        }
        return Optional.empty();
    }

    /** The only topic a dead letter of this kind is moved back to. */
    public String sourceTopic(PipelineTopics topics) {
        return switch (this) {
            case REQUEST -> topics.requests().name();
            case DISPATCH -> topics.sealed().name();
            case ANSWER -> topics.responses().name();
        };
    }
}
