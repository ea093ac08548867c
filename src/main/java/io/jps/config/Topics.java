package io.jps.config;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The topics of the pipeline, in the order data flows, and whether the app creates them ({@code create}) or
 * only checks that they exist as configured.
 *
 * @param dlqReplayed what {@code dlq replay} has moved back (compacted); made by that command, not by the stages
 */
public record Topics(
        boolean create,
        TopicSpec requests,
        TopicSpec sealed,
        TopicSpec responses,
        TopicSpec results,
        TopicSpec dlqRequest,
        TopicSpec dlqDispatch,
        TopicSpec dlqDecryption,
        TopicSpec dlqSignature,
        TopicSpec dlqReplayed) {

    /** The same topics, each reshaped by {@code change}. */
    public Topics map(UnaryOperator<TopicSpec> change) {
        return new Topics(create, change.apply(requests), change.apply(sealed), change.apply(responses), change.apply(results),
                change.apply(dlqRequest), change.apply(dlqDispatch), change.apply(dlqDecryption), change.apply(dlqSignature),
                change.apply(dlqReplayed));
    }

    /** The topics the stages read and write. */
    public List<TopicSpec> all() {
        return List.of(requests, sealed, responses, results, dlqRequest, dlqDispatch, dlqDecryption, dlqSignature);
    }
}
