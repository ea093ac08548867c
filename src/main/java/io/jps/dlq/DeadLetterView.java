package io.jps.dlq;

import io.jps.profile.Printable;
import io.jps.topology.HeaderNames;
import io.jps.topology.RecordIdentity;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A dead letter as the tools show it: where it is, when it was written, and its headers, which by construction
 * hold no secret and no plaintext. Never its value: for an answer that failed to open, that is what failed
 * authentication. Every text is {@link Printable}, since whoever can write the topic chooses the headers.
 *
 * @param sourcePartition -1 when the header is missing or not a number
 */
public record DeadLetterView(String topic, int partition, long offset, long timestamp, String stage, String reason,
                             String provider, String account, String requestId, String sourceTopic, int sourcePartition) {

    public static DeadLetterView of(ConsumerRecord<byte[], byte[]> record) {
        return new DeadLetterView(record.topic(), record.partition(), record.offset(), record.timestamp(),
                header(record, HeaderNames.ERROR_STAGE), header(record, HeaderNames.ERROR_REASON),
                header(record, HeaderNames.PROVIDER), header(record, HeaderNames.ACCOUNT), header(record, HeaderNames.REQUEST_ID),
                RecordIdentity.text(record.headers(), HeaderNames.ERROR_SOURCE_TOPIC),
                number(RecordIdentity.text(record.headers(), HeaderNames.ERROR_SOURCE_PARTITION)));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        String value = RecordIdentity.text(record.headers(), name);
        return value == null ? "-" : Printable.of(value);
    }

    private static int number(String text) {
        try {
            return text == null ? -1 : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code payments.dlq.signature[0]@17}. */
    public String position() {
        return topic + "[" + partition + "]@" + offset;
    }
}
