package io.jps.config;

import java.util.List;

/** The topics of the pipeline, in the order data flows. */
public record Topics(
        TopicSpec requests,
        TopicSpec sealed,
        TopicSpec responses,
        TopicSpec results,
        TopicSpec dlqRequest,
        TopicSpec dlqDispatch,
        TopicSpec dlqDecryption,
        TopicSpec dlqSignature) {

    public List<TopicSpec> all() {
        return List.of(requests, sealed, responses, results, dlqRequest, dlqDispatch, dlqDecryption, dlqSignature);
    }
}
