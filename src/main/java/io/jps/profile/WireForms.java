package io.jps.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jps.record.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** Puts a compact JOSE token into an HTTP body in a provider's wire form, and takes it out again. */
public final class WireForms {

    /** Juspay's names for the five compact JWE parts, in order. */
    static final String[] JUSPAY_FIELDS = {"header", "encryptedKey", "iv", "encryptedPayload", "tag"};
    static final String JUSPAY_JWT_FIELD = "JWT";

    private WireForms() {
    }

    public static String wrap(String token, WireForm form, String envelopeField) {
        return switch (form) {
            case COMPACT -> token;
            case JUSPAY_FIELDS -> {
                String[] parts = token.split("\\.", -1);
                if (parts.length != JUSPAY_FIELDS.length) {
                    throw new IllegalArgumentException("juspay-fields needs a five-part JWE, got " + parts.length + " parts");
                }
                Map<String, String> fields = new LinkedHashMap<>();
                for (int i = 0; i < parts.length; i++) {
                    fields.put(JUSPAY_FIELDS[i], parts[i]);
                }
                yield Json.write(fields);
            }
            case JUSPAY_JWT -> Json.write(Map.of(JUSPAY_JWT_FIELD, token));
            case ENVELOPE -> Json.write(Map.of(envelopeField, token));
            case JSON -> throw new IllegalArgumentException("the json wire form carries no token");
        };
    }

    /**
     * The compact token inside {@code body}. Juspay's two forms are both accepted whichever is configured:
     * its samples answer with the five fields and its reference code reads {@code JWT}.
     */
    public static String unwrap(String body, WireForm form, String envelopeField) throws NotInWireForm {
        return switch (form) {
            case COMPACT -> {
                String token = body.trim();
                if (token.isEmpty() || token.startsWith("{")) {
                    throw new NotInWireForm("body is not a compact JOSE serialization");
                }
                yield token;
            }
            case JUSPAY_FIELDS, JUSPAY_JWT -> {
                ObjectNode object = object(body);
                if (object.has(JUSPAY_JWT_FIELD)) {
                    yield text(object, JUSPAY_JWT_FIELD);
                }
                StringBuilder token = new StringBuilder();
                for (String field : JUSPAY_FIELDS) {
                    if (!token.isEmpty()) {
                        token.append('.');
                    }
                    token.append(text(object, field));
                }
                yield token.toString();
            }
            case ENVELOPE -> text(object(body), envelopeField);
            case JSON -> throw new IllegalArgumentException("the json wire form carries no token");
        };
    }

    private static ObjectNode object(String body) throws NotInWireForm {
        try {
            JsonNode node = Json.parseTree(body);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (Json.MalformedJsonException e) {
            throw new NotInWireForm("body is " + e.getMessage());
        }
        throw new NotInWireForm("body is not a JSON object");
    }

    private static String text(ObjectNode object, String field) throws NotInWireForm {
        JsonNode value = object.get(field);
        if (value == null || !value.isTextual()) {
            throw new NotInWireForm("body has no string field '" + field + "'");
        }
        return value.asText();
    }

    /** The body is not in the expected wire form; the message describes its shape, not its content. */
    public static final class NotInWireForm extends Exception {
        public NotInWireForm(String message) {
            super(message, null, false, false);
        }
    }
}
