package io.jps.refunds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.jps.record.Json;

/** One spelling of a JSON value, whatever order its fields were written in: what a row's identity is computed from. */
final class CanonicalJson {

    private static final ObjectWriter SORTED = Json.MAPPER.writer().with(JsonNodeFeature.WRITE_PROPERTIES_SORTED);

    private CanonicalJson() {
    }

    static String of(JsonNode node) {
        try {
            return SORTED.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that cannot be written", e);
        }
    }
}
