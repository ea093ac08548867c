package io.jps.topology;

import org.apache.kafka.streams.processor.api.ProcessorContext;

/** Where the record being processed was read from, for a dead letter's {@code jps.error.source-*} headers. */
final class Sources {

    private Sources() {
    }

    static DeadLetterWriter.Source of(ProcessorContext<?, ?> context) {
        return context.recordMetadata()
                .map(m -> new DeadLetterWriter.Source(m.topic(), m.partition(), m.offset()))
                .orElse(null);
    }
}
