package io.jps.topology;

import io.jps.observe.PipelineMetrics;
import io.jps.profile.ReasonCode;
import io.jps.profile.Stage;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The one place that makes dead letters, for every stage, and counts each in
 * {@code jps_dlq_records_total{topic,reason}}. A dead letter is the original key and value, byte for byte, with
 * the original headers (so it can be replayed), the identity headers, and the {@code jps.error.*} headers of the
 * contract. Never a stack trace, never decrypted content.
 */
public final class DeadLetterWriter {

    private static final String ERROR_PREFIX = "jps.error.";
    private static final int MAX_MESSAGE_CHARS = 500;

    private final PipelineMetrics metrics;

    public DeadLetterWriter(PipelineMetrics metrics) {
        this.metrics = metrics;
    }

    /** Where the failed record was read from. */
    public record Source(String topic, int partition, long offset) {
    }

    /** A dead-letter record, ready to go to {@code topic}. */
    public record DeadLetter(String topic, byte[] key, byte[] value, Headers headers) {
        public ProducerRecord<byte[], byte[]> toProducerRecord() {
            return new ProducerRecord<>(topic, null, key, value, headers);
        }
    }

    /** Why a record is a dead letter: the stage that gave up, the reason code and a message fit for a header. */
    public record Failure(Stage stage, ReasonCode reason, String message) {
    }

    public DeadLetter write(String topic, byte[] key, byte[] value, Headers original, RecordIdentity identity, Failure failure,
                            Source source) {
        Headers headers = new RecordHeaders();
        if (original != null) {
            for (Header header : original) {
                if (!header.key().startsWith(ERROR_PREFIX)) {
                    headers.add(header.key(), header.value());
                }
            }
        }
        identity.writeTo(headers);
        add(headers, HeaderNames.ERROR_STAGE, failure.stage().wireName());
        add(headers, HeaderNames.ERROR_REASON, failure.reason().name());
        add(headers, HeaderNames.ERROR_MESSAGE, truncate(failure.message()));
        if (source != null) {
            add(headers, HeaderNames.ERROR_SOURCE_TOPIC, source.topic());
            add(headers, HeaderNames.ERROR_SOURCE_PARTITION, String.valueOf(source.partition()));
            add(headers, HeaderNames.ERROR_SOURCE_OFFSET, String.valueOf(source.offset()));
        }
        metrics.deadLettered(topic, failure.reason().name());
        return new DeadLetter(topic, key, value, headers);
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }

    private static String truncate(String message) {
        if (message == null) {
            return "";
        }
        return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
}
