package io.jps.refunds;

import io.jps.profile.ReasonCode;
import io.jps.record.Json;
import io.jps.record.PaymentResult;
import io.jps.topology.HeaderNames;
import io.jps.topology.RecordIdentity;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Tells, from one record of an outcome topic, where a request of the batch ended, and writes it into the
 * {@link BatchIndex}. Records of other requests (most of a shared topic) cost a header read and a lookup. A result
 * is read for its outcome and status only; a dead letter for its headers only, never its value.
 */
final class Reconciliation {

    /**
     * Dead letters that decide nothing about the request they name: a record not written by our own stages
     * (UNATTESTED, UNSOLICITED), or the seal stage's refusal of a resubmitted request, whose first outcome is what
     * the report shows.
     */
    private static final Set<String> NOT_AN_OUTCOME = Set.of(ReasonCode.UNATTESTED.name(), ReasonCode.UNSOLICITED.name());

    /** The two fields of a PaymentResult that the report needs. */
    private record ResultSummary(PaymentResult.Outcome outcome, int httpStatus) {
    }

    private final BatchIndex index;
    private final OutcomeTopics topics;

    Reconciliation(BatchIndex index, OutcomeTopics topics) {
        this.index = index;
        this.topics = topics;
    }

    void apply(ConsumerRecord<byte[], byte[]> record) {
        Optional<RefundId> id = RefundId.parse(RecordIdentity.text(record.headers(), HeaderNames.REQUEST_ID));
        int row = id.map(index::find).orElse(-1);
        if (row < 0) {
            return;
        }
        if (topics.isResultTopic(record.topic())) {
            ResultSummary result = result(record.value());
            if (result != null && result.outcome() != null) {
                index.settle(row, result.outcome() == PaymentResult.Outcome.SUCCEEDED ? Ending.SUCCEEDED : Ending.PROVIDER_ERROR,
                        result.httpStatus(), null);
            }
            return;
        }
        String reason = RecordIdentity.text(record.headers(), HeaderNames.ERROR_REASON);
        if (ReasonCode.DUPLICATE_REQUEST.name().equals(reason)) {
            index.refusedAsDuplicate(row);
        } else if (reason != null && !NOT_AN_OUTCOME.contains(reason)) {
            index.settle(row, topics.deadLetterEnding(record.topic()), 0, reason);
        }
    }

    private static ResultSummary result(byte[] value) {
        try {
            return value == null ? null : Json.MAPPER.readValue(value, ResultSummary.class);
        } catch (IOException e) {
            return null;
        }
    }
}
