package io.jps.seal;

import com.fasterxml.jackson.databind.JsonNode;
import io.jps.profile.ReasonCode;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;

/** Turns the bytes of a {@code payments.requests} record into a checked {@link PaymentRequest}. */
public final class PaymentRequestParser {

    private static final int MAX_ID_CHARS = 200;
    private static final int MAX_KEY_CHARS = 1000;

    private final int maxRequestBytes;

    public PaymentRequestParser(int maxRequestBytes) {
        this.maxRequestBytes = maxRequestBytes;
    }

    public PaymentRequest parse(byte[] value) throws SealFailure {
        if (value == null || value.length == 0) {
            throw new SealFailure(ReasonCode.MALFORMED, "empty record value");
        }
        if (value.length > maxRequestBytes) {
            throw new SealFailure(ReasonCode.OVERSIZED, "request of " + value.length + " bytes exceeds limits.maxRequestBytes="
                    + maxRequestBytes);
        }
        JsonNode root;
        try {
            root = Json.parseObject(value);
        } catch (Json.MalformedJsonException e) {
            throw new SealFailure(ReasonCode.MALFORMED, "request is " + e.getMessage());
        }
        String requestId = requiredText(root, "requestId");
        if (requestId.length() > MAX_ID_CHARS || !requestId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new SealFailure(ReasonCode.MALFORMED, "requestId must be 1 to " + MAX_ID_CHARS
                    + " visible ASCII characters without spaces");
        }
        String provider = requiredText(root, "provider");
        String account = optionalText(root, "account");
        String key = optionalText(root, "key");
        if (key != null && key.length() > MAX_KEY_CHARS) {
            throw new SealFailure(ReasonCode.MALFORMED, "key is longer than " + MAX_KEY_CHARS + " characters");
        }
        JsonNode payload = root.get("payload");
        if (payload == null || !payload.isObject()) {
            throw new SealFailure(ReasonCode.MALFORMED, "payload is required and must be a JSON object");
        }
        return new PaymentRequest(requestId, provider, account == null ? PaymentRequest.DEFAULT_ACCOUNT : account,
                optionalText(root, "operation"), optionalText(root, "method"), optionalText(root, "path"), key, payload);
    }

    private static String requiredText(JsonNode root, String field) throws SealFailure {
        String value = optionalText(root, field);
        if (value == null || value.isEmpty()) {
            throw new SealFailure(ReasonCode.MALFORMED, field + " is required");
        }
        return value;
    }

    private static String optionalText(JsonNode root, String field) throws SealFailure {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new SealFailure(ReasonCode.MALFORMED, field + " must be a string");
        }
        return node.asText();
    }
}
