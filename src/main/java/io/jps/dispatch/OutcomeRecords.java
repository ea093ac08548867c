package io.jps.dispatch;

import io.jps.attest.Attestor;
import io.jps.observe.RecordLogContext;
import io.jps.profile.ReasonCode;
import io.jps.profile.Stage;
import io.jps.record.Json;
import io.jps.record.ProviderResponse;
import io.jps.record.SealedRequest;
import io.jps.topology.DeadLetterWriter;
import io.jps.topology.HeaderNames;
import io.jps.topology.PipelineTopics;
import io.jps.topology.RecordIdentity;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The two records the dispatcher writes for a sealed record: the provider's answer, or a dead letter. */
public final class OutcomeRecords {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRecords.class);

    private final PipelineTopics topics;
    private final Attestor attestor;
    private final DeadLetterWriter deadLetters;

    OutcomeRecords(PipelineTopics topics, Attestor attestor, DeadLetterWriter deadLetters) {
        this.topics = topics;
        this.attestor = attestor;
        this.deadLetters = deadLetters;
    }

    ProducerRecord<byte[], byte[]> answerRecord(Work.Sendable work, ProviderResponse response) {
        return answer(topics, attestor, work.record(), work.request(), response);
    }

    /**
     * The answer to {@code sealed}, attested, in the sealed record's partition (where the task that remembers the
     * request opens it) and with its timestamp: the task takes its records in timestamp order, so an answer is opened
     * before the requests that came after its own, not after the whole backlog. Its identity comes from the attested
     * request, never from the sealed record's own headers.
     */
    public static ProducerRecord<byte[], byte[]> answer(PipelineTopics topics, Attestor attestor,
                                                        ConsumerRecord<byte[], byte[]> sealed, SealedRequest request,
                                                        ProviderResponse response) {
        Headers headers = new RecordHeaders();
        new RecordIdentity(request.requestId(), request.provider(), request.account()).writeTo(headers);
        headers.add(HeaderNames.ATTESTATION, attestor.attest(response).getBytes(StandardCharsets.US_ASCII));
        return new ProducerRecord<>(topics.responses().name(), sealed.partition(), sealed.timestamp(), sealed.key(),
                Json.writeBytes(response), headers);
    }

    ProducerRecord<byte[], byte[]> deadLetter(Work work, ReasonCode reason, String message) {
        ConsumerRecord<byte[], byte[]> record = work.record();
        RecordIdentity identity = work.identity();
        try (RecordLogContext ignored = RecordLogContext.put(identity.requestId(), identity.provider(), identity.account(),
                Stage.DISPATCH)) {
            LOG.warn("request {} of {} not dispatched: {} ({})", identity.requestId(), identity.provider(), reason, message);
        }
        return deadLetters.write(topics.dlqDispatch().name(), record.key(), record.value(), record.headers(), identity,
                new DeadLetterWriter.Failure(Stage.DISPATCH, reason, message),
                new DeadLetterWriter.Source(record.topic(), record.partition(), record.offset())).toProducerRecord();
    }
}
