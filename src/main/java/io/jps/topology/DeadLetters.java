package io.jps.topology;

import io.jps.profile.ReasonCode;
import io.jps.profile.Stage;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The one place that makes a dead-letter record's headers. A dead letter is the original key and value,
 * byte for byte, with the original headers (so it can be replayed), the identity headers, and the
 * {@code jps.error.*} headers of the contract. Never a stack trace, never decrypted content.
 */
public final class DeadLetters {

    private static final String ERROR_PREFIX = "jps.error.";
    private static final int MAX_MESSAGE_CHARS = 500;

    private DeadLetters() {
    }

    /** Where the failed record was read from. */
    public record Source(String topic, int partition, long offset) {
    }

    public static Headers headers(Headers original, RecordIdentity identity, Stage stage, ReasonCode reason, String message,
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
        add(headers, HeaderNames.ERROR_STAGE, stage.wireName());
        add(headers, HeaderNames.ERROR_REASON, reason.name());
        add(headers, HeaderNames.ERROR_MESSAGE, truncate(message));
        if (source != null) {
            add(headers, HeaderNames.ERROR_SOURCE_TOPIC, source.topic());
            add(headers, HeaderNames.ERROR_SOURCE_PARTITION, String.valueOf(source.partition()));
            add(headers, HeaderNames.ERROR_SOURCE_OFFSET, String.valueOf(source.offset()));
        }
        return headers;
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
