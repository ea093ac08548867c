package io.jps.topology;

import io.jps.attest.Attestor;
import io.jps.observe.PipelineMetrics;
import io.jps.observe.RecordLogContext;
import io.jps.profile.ReasonCode;
import io.jps.profile.Stage;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.seal.PaymentRequestParser;
import io.jps.seal.RequestSealer;
import io.jps.seal.SealFailure;
import io.jps.seal.Sealed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * SEAL: one plaintext request in, one sealed request or one dead letter out. The sealed record is keyed by the
 * request's {@code key} (else its {@code requestId}) so that a payment and its refunds stay in order, carries
 * SEAL's attestation (the dispatcher sends nothing else), goes to the partition its request came from (where
 * OPEN will find it remembered), and is remembered in {@link SentRequests} in the same transaction. A requestId
 * seen before is not sealed again: resubmitting a batch never pays twice.
 */
final class SealProcessor implements Processor<byte[], byte[], byte[], Outgoing> {

    private final PaymentRequestParser parser;
    private final RequestSealer sealer;
    private final Attestor attestor;
    private final DeadLetterWriter deadLetters;
    private final String deadLetterTopic;
    private final PipelineMetrics metrics;
    private ProcessorContext<byte[], Outgoing> context;
    private SentRequests sent;

    SealProcessor(PaymentRequestParser parser, RequestSealer sealer, Attestor attestor, DeadLetterWriter deadLetters,
                  String deadLetterTopic, PipelineMetrics metrics) {
        this.parser = parser;
        this.sealer = sealer;
        this.attestor = attestor;
        this.deadLetters = deadLetters;
        this.deadLetterTopic = deadLetterTopic;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], Outgoing> context) {
        this.context = context;
        this.sent = new SentRequests(context.getStateStore(SentRequests.STORE));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        long started = System.nanoTime();
        PaymentRequest request;
        try {
            request = parser.parse(record.value());
        } catch (SealFailure failure) {
            deadLetter(record, RecordIdentity.bestEffort(record.value(), record.headers()), failure);
            return;
        }
        try (RecordLogContext ignored = RecordLogContext.put(request.requestId(), request.provider(), request.account(), Stage.SEAL)) {
            seal(record, request, started);
        }
    }

    private void seal(Record<byte[], byte[]> record, PaymentRequest request, long started) {
        try {
            if (sent.find(request.requestId()).isPresent()) {
                throw new SealFailure(ReasonCode.DUPLICATE_REQUEST, "request " + request.requestId()
                        + " was sealed before (within open.dedupRetention): it is not sent twice");
            }
            Sealed sealed = sealer.seal(request);
            Headers headers = passThrough(record.headers());
            new RecordIdentity(request.requestId(), request.provider(), request.account()).writeTo(headers);
            RecordIdentity.set(headers, HeaderNames.ATTESTATION, attestor.attest(sealed.request()));
            context.forward(new Record<>(request.recordKey().getBytes(StandardCharsets.UTF_8),
                    Outgoing.toPartition(Json.writeBytes(sealed.request()), sourcePartition()), record.timestamp(), headers));
            sent.remember(request.requestId(), sealed.sent());
            metrics.sealed(request.provider(), Duration.ofNanos(System.nanoTime() - started));
        } catch (SealFailure failure) {
            deadLetter(record, new RecordIdentity(request.requestId(), request.provider(), request.account()), failure);
        }
    }

    private void deadLetter(Record<byte[], byte[]> record, RecordIdentity identity, SealFailure failure) {
        DeadLetterWriter.DeadLetter letter = deadLetters.write(deadLetterTopic, record.key(), record.value(), record.headers(),
                identity, new DeadLetterWriter.Failure(Stage.SEAL, failure.reason(), failure.getMessage()), Sources.of(context));
        context.forward(record.withValue(new Outgoing(Outgoing.Route.DLQ_REQUEST, letter.value())).withHeaders(letter.headers()));
        metrics.sealRefused(identity.provider());
    }

    private int sourcePartition() {
        return context.recordMetadata().map(metadata -> metadata.partition())
                .orElseThrow(() -> new IllegalStateException("a request record without a source partition"));
    }

    /** A producer's own headers (tracing, say) travel on; ours are set afresh. */
    private static Headers passThrough(Headers incoming) {
        Headers headers = new RecordHeaders();
        for (Header header : incoming) {
            if (!header.key().startsWith("jps.")) {
                headers.add(header);
            }
        }
        return headers;
    }
}
