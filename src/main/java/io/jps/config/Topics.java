package io.jps.config;

import java.util.List;

/**
 * The topics of the pipeline, in the order data flows.
 *
 * @param dlqReplayed what {@code dlq replay} has moved back (compacted); made by that command, not by the stages
 */
public record Topics(
        TopicSpec requests,
        TopicSpec sealed,
        TopicSpec responses,
        TopicSpec results,
        TopicSpec dlqRequest,
        TopicSpec dlqDispatch,
        TopicSpec dlqDecryption,
        TopicSpec dlqSignature,
        TopicSpec dlqReplayed) {

    /** The topics the stages read and write. */
    public List<TopicSpec> all() {
        return List.of(requests, sealed, responses, results, dlqRequest, dlqDispatch, dlqDecryption, dlqSignature);
    }
}
