package io.jps.dispatch;

import io.jps.observe.PipelineMetrics;
import io.jps.profile.ReasonCode;
import io.jps.profile.Stage;
import io.jps.record.Json;
import io.jps.record.ProviderResponse;
import io.jps.topology.DeadLetters;
import io.jps.topology.HeaderNames;
import io.jps.topology.PipelineTopics;
import io.jps.topology.RecordIdentity;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The two records the dispatcher writes for a sealed record: the provider's answer, or a dead letter. */
final class OutcomeRecords {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRecords.class);

    private final PipelineTopics topics;
    private final PipelineMetrics metrics;

    OutcomeRecords(PipelineTopics topics, PipelineMetrics metrics) {
        this.topics = topics;
        this.metrics = metrics;
    }

    ProducerRecord<byte[], byte[]> answerRecord(Work.Sendable work, ProviderResponse response) {
        Headers headers = new RecordHeaders();
        RecordIdentity.of(work.record().headers()).writeTo(headers);
        for (String carried : List.of(HeaderNames.SEALED_AT, HeaderNames.CEK_WRAPPED)) {
            Header header = work.record().headers().lastHeader(carried);
            if (header != null) {
                headers.add(carried, header.value());
            }
        }
        return new ProducerRecord<>(topics.responses().name(), null, work.record().key(), Json.writeBytes(response), headers);
    }

    ProducerRecord<byte[], byte[]> deadLetter(Work work, ReasonCode reason, String message) {
        ConsumerRecord<byte[], byte[]> record = work.record();
        RecordIdentity identity = work.identity();
        LOG.warn("request {} of {} not dispatched: {} ({})", identity.requestId(), identity.provider(), reason, message);
        metrics.deadLettered(topics.dlqDispatch().name(), reason.name());
        return new ProducerRecord<>(topics.dlqDispatch().name(), null, record.key(), record.value(),
                DeadLetters.headers(record.headers(), identity, Stage.DISPATCH, reason, message,
                        new DeadLetters.Source(record.topic(), record.partition(), record.offset())));
    }
}
