package io.jps.topology;

import io.jps.attest.Attestor;
import io.jps.observe.PipelineMetrics;
import io.jps.observe.RecordLogContext;
import io.jps.open.AnswerOpener;
import io.jps.open.OpenFailure;
import io.jps.open.OpenPhase;
import io.jps.profile.Printable;
import io.jps.profile.ReasonCode;
import io.jps.profile.Stage;
import io.jps.record.Json;
import io.jps.record.PaymentResult;
import io.jps.record.ProviderResponse;
import io.jps.record.SentRequest.Decision;
import io.jps.record.SentRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * OPEN: one record of {@code payments.responses} in; a verified result, a dead letter, or nothing. Only an answer
 * the dispatcher attested, to a request SEAL remembers, for the provider and account it was sealed for, is
 * opened, and with that request's keys. The first such answer decides the request; a later one is dropped and
 * counted. A record that fails those checks decides nothing and suppresses nothing: whoever can write the topic
 * without the attestation key cannot change an outcome.
 */
final class OpenProcessor implements Processor<byte[], byte[], byte[], Outgoing> {

    private final AnswerOpener opener;
    private final Attestor attestor;
    private final DeadLetterWriter deadLetters;
    private final PipelineTopics topics;
    private final PipelineMetrics metrics;
    private final Clock clock;
    private ProcessorContext<byte[], Outgoing> context;
    private SentRequests sent;

    OpenProcessor(AnswerOpener opener, Attestor attestor, DeadLetterWriter deadLetters, PipelineTopics topics,
                  PipelineMetrics metrics, Clock clock) {
        this.opener = opener;
        this.attestor = attestor;
        this.deadLetters = deadLetters;
        this.topics = topics;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<byte[], Outgoing> context) {
        this.context = context;
        this.sent = new SentRequests(context.getStateStore(SentRequests.STORE));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        ProviderResponse response;
        try {
            response = parse(record.value());
        } catch (OpenFailure failure) {
            deadLetter(record, RecordIdentity.bestEffort(record.value(), record.headers()), failure);
            return;
        }
        try (RecordLogContext ignored = RecordLogContext.put(response.requestId(), response.provider(), response.account(),
                Stage.OPEN)) {
            open(record, response);
        }
    }

    private void open(Record<byte[], byte[]> record, ProviderResponse response) {
        RecordIdentity claimed = new RecordIdentity(Printable.of(response.requestId()), Printable.of(response.provider()),
                Printable.of(response.account()));
        String attestation = RecordIdentity.text(record.headers(), HeaderNames.ATTESTATION);
        if (!attestor.verifies(response, attestation)) {
            deadLetter(record, claimed, new OpenFailure(OpenPhase.SIGNATURE, ReasonCode.UNATTESTED, attestation == null
                    ? "no " + HeaderNames.ATTESTATION + " header: not written by our dispatcher"
                    : HeaderNames.ATTESTATION + " does not match the record: not written by our dispatcher, or changed since"));
            return;
        }
        Optional<SentRequests.Entry> entry = sent.find(response.requestId());
        Optional<OpenFailure> unsolicited = unsolicited(response, entry);
        if (unsolicited.isPresent()) {
            deadLetter(record, claimed, unsolicited.get());
            return;
        }
        SentRequest request = entry.get().request();
        if (request.decided() && !replaysItsDeadLetter(request, attestation)) {
            metrics.duplicateDropped(request.provider());
            return;
        }
        long started = System.nanoTime();
        try {
            PaymentResult result = opener.open(response, request);
            Headers headers = new RecordHeaders();
            new RecordIdentity(response.requestId(), request.provider(), request.account()).writeTo(headers);
            context.forward(new Record<>(record.key(), new Outgoing(Outgoing.Route.RESULT, Json.writeBytes(result)),
                    record.timestamp(), headers));
            sent.decide(entry.get(), new Decision(SentRequest.Outcome.RESULT, attestation, clock.millis()));
            metrics.opened(request.provider(), result.outcome().name(), Duration.ofNanos(System.nanoTime() - started));
        } catch (OpenFailure failure) {
            deadLetter(record, new RecordIdentity(response.requestId(), request.provider(), request.account()), failure);
            if (!request.decided()) {
                sent.decide(entry.get(), new Decision(SentRequest.Outcome.DEAD_LETTER, attestation, clock.millis()));
            }
        }
    }

    /** Attested, but not an answer to a request we sent, or not for the provider and account we sent it to. */
    private static Optional<OpenFailure> unsolicited(ProviderResponse response, Optional<SentRequests.Entry> entry) {
        if (entry.isEmpty()) {
            return Optional.of(new OpenFailure(OpenPhase.SIGNATURE, ReasonCode.UNSOLICITED, "no request '"
                    + Printable.of(response.requestId()) + "' was sealed here (or longer ago than open.dedupRetention)"));
        }
        SentRequest request = entry.get().request();
        if (!request.provider().equals(response.provider()) || !request.account().equals(response.account())) {
            return Optional.of(new OpenFailure(OpenPhase.SIGNATURE, ReasonCode.UNSOLICITED, "request '"
                    + Printable.of(response.requestId()) + "' was sealed for " + request.provider() + "/" + request.account()
                    + ", not " + Printable.of(response.provider()) + "/" + Printable.of(response.account())));
        }
        return Optional.empty();
    }

    /**
     * A request decided by a dead letter may still get its result from that same answer, replayed once the cause
     * is fixed (a missing key, say): the same attestation, so not a second answer.
     */
    private static boolean replaysItsDeadLetter(SentRequest request, String attestation) {
        return request.decision().outcome() == SentRequest.Outcome.DEAD_LETTER && request.decision().attestation().equals(attestation);
    }

    private void deadLetter(Record<byte[], byte[]> record, RecordIdentity identity, OpenFailure failure) {
        boolean signature = failure.phase() == OpenPhase.SIGNATURE;
        DeadLetterWriter.DeadLetter letter = deadLetters.write(
                signature ? topics.dlqSignature().name() : topics.dlqDecryption().name(), record.key(), record.value(),
                record.headers(), identity, new DeadLetterWriter.Failure(Stage.OPEN, failure.reason(), failure.getMessage()),
                Sources.of(context));
        // The answer as received: still sealed, so nothing unverified is ever written in the clear.
        context.forward(record.withValue(new Outgoing(signature ? Outgoing.Route.DLQ_SIGNATURE : Outgoing.Route.DLQ_DECRYPTION,
                letter.value())).withHeaders(letter.headers()));
        metrics.opened(identity.provider(), "refused", null);
    }

    private static ProviderResponse parse(byte[] value) throws OpenFailure {
        ProviderResponse response;
        try {
            response = Json.MAPPER.readValue(Json.strictUtf8(value == null ? new byte[0] : value), ProviderResponse.class);
        } catch (Json.MalformedJsonException | IOException e) {
            throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.MALFORMED, "not a ProviderResponse record");
        }
        if (response == null || blank(response.requestId()) || blank(response.provider()) || blank(response.account())) {
            throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.MALFORMED, "a ProviderResponse needs requestId, provider and account");
        }
        if (response.httpStatus() < 100 || response.httpStatus() > 599) {
            throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.MALFORMED,
                    "httpStatus " + response.httpStatus() + " is not an HTTP status");
        }
        if (response.requestId().length() > 200) {
            throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.MALFORMED, "requestId '" + Printable.of(response.requestId())
                    + "' is too long");
        }
        return response;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
