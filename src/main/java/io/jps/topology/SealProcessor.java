package io.jps.topology;

import io.jps.engine.Engine;
import io.jps.observe.PipelineMetrics;
import io.jps.profile.Stage;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.seal.SealFailure;
import io.jps.seal.Sealed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * SEAL: one plaintext request in, one sealed request or one dead letter out. The sealed record is keyed by
 * the request's {@code key} (else its {@code requestId}) so that a payment and its refunds stay in order.
 */
final class SealProcessor implements Processor<byte[], byte[], byte[], Outgoing> {

    private final Engine engine;
    private final PipelineMetrics metrics;
    private ProcessorContext<byte[], Outgoing> context;

    SealProcessor(Engine engine, PipelineMetrics metrics) {
        this.engine = engine;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], Outgoing> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        long started = System.nanoTime();
        PaymentRequest request = null;
        try {
            request = engine.requestParser().parse(record.value());
            Sealed sealed = engine.sealer().seal(request);
            Headers headers = passThrough(record.headers());
            new RecordIdentity(request.requestId(), request.provider(), request.account()).writeTo(headers);
            RecordIdentity.set(headers, HeaderNames.SEALED_AT, String.valueOf(sealed.request().sealedAt()));
            RecordIdentity.set(headers, HeaderNames.CEK_WRAPPED, sealed.wrappedCek());
            context.forward(new Record<>(request.recordKey().getBytes(StandardCharsets.UTF_8),
                    new Outgoing(Outgoing.Route.SEALED, Json.writeBytes(sealed.request())), record.timestamp(), headers));
            metrics.sealed(request.provider(), Duration.ofNanos(System.nanoTime() - started));
        } catch (SealFailure failure) {
            RecordIdentity identity = request != null
                    ? new RecordIdentity(request.requestId(), request.provider(), request.account())
                    : RecordIdentity.bestEffort(record.value(), record.headers());
            Headers headers = DeadLetters.headers(record.headers(), identity, Stage.SEAL, failure.reason(),
                    failure.getMessage(), Sources.of(context));
            context.forward(record.withValue(new Outgoing(Outgoing.Route.DLQ_REQUEST, record.value())).withHeaders(headers));
            metrics.sealRefused(identity.provider());
        }
    }

    /** A producer's own headers (tracing, say) travel on; ours are set afresh. */
    private static Headers passThrough(Headers incoming) {
        Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        for (Header header : incoming) {
            if (!header.key().startsWith("jps.")) {
                headers.add(header);
            }
        }
        return headers;
    }
}
