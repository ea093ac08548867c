package io.jps.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.jps.record.Json;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Which request a record is about, as far as it can be told: the {@code jps.*} identity headers every record
 * carries. For a record that failed before it could be read, whatever of it is readable (best effort).
 */
public record RecordIdentity(String requestId, String provider, String account) {

    public static final RecordIdentity UNKNOWN = new RecordIdentity(null, null, null);

    public static RecordIdentity of(Headers headers) {
        return new RecordIdentity(text(headers, HeaderNames.REQUEST_ID), text(headers, HeaderNames.PROVIDER),
                text(headers, HeaderNames.ACCOUNT));
    }

    /** The identity fields of a JSON record value that may be broken in any way. */
    public static RecordIdentity bestEffort(byte[] value, Headers headers) {
        RecordIdentity fromHeaders = of(headers);
        try {
            JsonNode node = Json.parseObject(value);
            return new RecordIdentity(
                    field(node, "requestId", fromHeaders.requestId),
                    field(node, "provider", fromHeaders.provider),
                    field(node, "account", fromHeaders.account));
        } catch (Json.MalformedJsonException | RuntimeException e) {
            return fromHeaders;
        }
    }

    public void writeTo(Headers headers) {
        set(headers, HeaderNames.REQUEST_ID, requestId);
        set(headers, HeaderNames.PROVIDER, provider);
        set(headers, HeaderNames.ACCOUNT, account);
    }

    static void set(Headers headers, String name, String value) {
        headers.remove(name);
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A header's value as UTF-8 text, or null when the record does not carry it. */
    public static String text(Headers headers, String name) {
        Header header = headers == null ? null : headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String field(JsonNode node, String name, String fallback) {
        JsonNode value = node.get(name);
        return value != null && value.isTextual() ? io.jps.profile.Printable.of(value.asText()) : fallback;
    }
}
