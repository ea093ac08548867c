package io.jps.topology;

import io.jps.engine.Engine;
import io.jps.observe.PipelineMetrics;
import io.jps.open.OpenFailure;
import io.jps.open.OpenPhase;
import io.jps.profile.Printable;
import io.jps.profile.ReasonCode;
import io.jps.profile.Stage;
import io.jps.record.Json;
import io.jps.record.PaymentResult;
import io.jps.record.ProviderResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * OPEN: one provider answer in; a verified result, a dead letter, or nothing when the request already has an
 * outcome (the dispatcher is at-least-once). Which requests have an outcome is remembered in a changelogged
 * window store, for the configured retention, and updated in the same transaction as the output.
 */
final class OpenProcessor implements Processor<byte[], byte[], byte[], Outgoing> {

    static final String DEDUP_STORE = "open-outcomes";

    private final Engine engine;
    private final PipelineMetrics metrics;
    private final Duration retention;
    private ProcessorContext<byte[], Outgoing> context;
    private WindowStore<String, Long> outcomes;

    OpenProcessor(Engine engine, PipelineMetrics metrics, Duration retention) {
        this.engine = engine;
        this.metrics = metrics;
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<byte[], Outgoing> context) {
        this.context = context;
        this.outcomes = context.getStateStore(DEDUP_STORE);
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
        RecordIdentity identity = new RecordIdentity(response.requestId(), response.provider(), response.account());
        if (alreadyDecided(response.requestId(), record.timestamp())) {
            metrics.duplicateDropped(response.provider());
            return;
        }
        long started = System.nanoTime();
        try {
            PaymentResult result = engine.opener().open(response,
                    RecordIdentity.text(record.headers(), HeaderNames.CEK_WRAPPED), sealedAt(record.headers()));
            Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders();
            identity.writeTo(headers);
            context.forward(new Record<>(record.key(), new Outgoing(Outgoing.Route.RESULT, Json.writeBytes(result)),
                    record.timestamp(), headers));
            metrics.opened(response.provider(), result.outcome().name(), Duration.ofNanos(System.nanoTime() - started));
        } catch (OpenFailure failure) {
            deadLetter(record, identity, failure);
        }
        outcomes.put(response.requestId(), record.timestamp(), record.timestamp());
    }

    private boolean alreadyDecided(String requestId, long timestamp) {
        try (WindowStoreIterator<Long> seen = outcomes.fetch(requestId,
                Instant.ofEpochMilli(timestamp).minus(retention), Instant.ofEpochMilli(timestamp).plus(retention))) {
            return seen.hasNext();
        }
    }

    private void deadLetter(Record<byte[], byte[]> record, RecordIdentity identity, OpenFailure failure) {
        Outgoing.Route route = failure.phase() == OpenPhase.SIGNATURE ? Outgoing.Route.DLQ_SIGNATURE : Outgoing.Route.DLQ_DECRYPTION;
        Headers headers = DeadLetters.headers(record.headers(), identity, Stage.OPEN, failure.reason(), failure.getMessage(),
                Sources.of(context));
        // The answer as received: still sealed, so nothing unverified is ever written in the clear.
        context.forward(record.withValue(new Outgoing(route, record.value())).withHeaders(headers));
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

    private static Long sealedAt(Headers headers) {
        String value = RecordIdentity.text(headers, HeaderNames.SEALED_AT);
        try {
            return value == null ? null : Long.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
