package io.jps.record;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The one JSON mapper of the product, and strict parsing of untrusted bytes. */
public final class Json {

    /**
     * Duplicate keys are refused: two parsers that disagree on which {@code requestId} or
     * {@code encrypted_response} wins are a classic way to smuggle a value past a check.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .addModule(new JavaTimeModule())
            .build();

    private Json() {
    }

    /** Decodes bytes as UTF-8, refusing malformed sequences instead of replacing them. */
    public static String strictUtf8(byte[] bytes) throws MalformedJsonException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedJsonException("not valid UTF-8");
        }
    }

    public static JsonNode parseTree(String text) throws MalformedJsonException {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new MalformedJsonException("empty document");
            }
            return node;
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the offending text, which may be payment data: say where only.
            var at = e.getLocation();
            throw new MalformedJsonException(at == null ? "not JSON"
                    : "not JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        }
    }

    public static JsonNode parseObject(byte[] bytes) throws MalformedJsonException {
        JsonNode node = parseTree(strictUtf8(bytes));
        if (!node.isObject()) {
            throw new MalformedJsonException("expected a JSON object");
        }
        return node;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Thrown for input that is not the JSON we expect; its message quotes structure, never content. */
    public static final class MalformedJsonException extends Exception {
        public MalformedJsonException(String message) {
            super(message, null, false, false);
        }
    }
}
