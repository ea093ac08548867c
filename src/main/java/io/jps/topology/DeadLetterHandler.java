package io.jps.topology;

import io.jps.observe.PipelineMetrics;
import io.jps.observe.RecordLogContext;
import io.jps.profile.ReasonCode;
import io.jps.profile.Stage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' three error hooks, answered the pipeline's way: the record that could not be read, processed
 * or produced goes to its stage's dead-letter topic as its original bytes with the contract's headers, and
 * the stream goes on. Kafka Streams' own dead-letter records would carry a stack trace, and an exception's
 * message can quote payment data or plaintext; ours carry the exception's class name only.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler,
        ProductionExceptionHandler {

    /** Configuration key: {@code source-topic=dlq-topic:stage,...}, set by {@link StreamsSettings}. */
    public static final String ROUTES = "jps.dead-letter.routes";
    /** Configuration key holding the {@link PipelineMetrics} instance. */
    public static final String METRICS = "jps.dead-letter.metrics";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    private record Route(String deadLetterTopic, Stage stage) {
    }

    private final Map<String, Route> routes = new HashMap<>();
    private DeadLetterWriter deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        Object value = configs.get(ROUTES);
        if (value != null) {
            for (String entry : value.toString().split(",")) {
                String[] sourceAndTarget = entry.split("=", 2);
                String[] targetAndStage = sourceAndTarget[1].split(":", 2);
                routes.put(sourceAndTarget[0], new Route(targetAndStage[0], Stage.valueOf(targetAndStage[1])));
            }
        }
        if (!(configs.get(METRICS) instanceof PipelineMetrics metrics)) {
            throw new IllegalStateException(METRICS + " must hold the pipeline's metrics: every dead letter is counted");
        }
        deadLetters = new DeadLetterWriter(metrics);
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record, Exception exception) {
        return deadLetter(context, record.key(), record.value(), record.headers(), ReasonCode.MALFORMED, exception)
                .map(DeserializationExceptionHandler.Response::resume)
                .orElseGet(DeserializationExceptionHandler.Response::fail);
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        return deadLetter(context, context.sourceRawKey(), context.sourceRawValue(), context.headers(),
                ReasonCode.PROCESSING_FAILED, exception)
                .map(ProcessingExceptionHandler.Response::resume)
                .orElseGet(ProcessingExceptionHandler.Response::fail);
    }

    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                                           Exception exception) {
        if (exception instanceof RetriableException) {
            return ProductionExceptionHandler.Response.retry();
        }
        if (routes.values().stream().anyMatch(r -> r.deadLetterTopic().equals(record.topic()))) {
            // A dead letter that cannot be written has nowhere else to go: stop rather than lose it.
            return ProductionExceptionHandler.Response.fail();
        }
        ReasonCode reason = exception instanceof RecordTooLargeException ? ReasonCode.OVERSIZED : ReasonCode.PROCESSING_FAILED;
        return deadLetter(context, context.sourceRawKey(), context.sourceRawValue(), context.headers(), reason, exception)
                .map(ProductionExceptionHandler.Response::resume)
                .orElseGet(ProductionExceptionHandler.Response::fail);
    }

    private java.util.Optional<List<ProducerRecord<byte[], byte[]>>> deadLetter(ErrorHandlerContext context, byte[] key,
            byte[] value, Headers original, ReasonCode reason, Exception exception) {
        Route route = routes.get(context.topic());
        if (route == null) {
            LOG.error("no dead-letter topic for records of {}; stopping on {}", context.topic(), exception.getClass().getName());
            return java.util.Optional.empty();
        }
        String message = reason.name() + " in " + context.processorNodeId() + ": " + exception.getClass().getName();
        RecordIdentity identity = RecordIdentity.bestEffort(value, original);
        try (RecordLogContext ignored = RecordLogContext.put(identity.requestId(), identity.provider(), identity.account(),
                route.stage())) {
            LOG.warn("{} partition {} offset {} to {}: {}", context.topic(), context.partition(), context.offset(),
                    route.deadLetterTopic(), message);
        }
        DeadLetterWriter.DeadLetter letter = deadLetters.write(route.deadLetterTopic(), key, value, original,
                identity, new DeadLetterWriter.Failure(route.stage(), reason, message),
                new DeadLetterWriter.Source(context.topic(), context.partition(), context.offset()));
        return java.util.Optional.of(List.of(letter.toProducerRecord()));
    }
}
