package io.jps.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * One entry of a provider's operation table. {@code {name}} placeholders in the path are filled from
 * the payload's top-level fields of the same name.
 *
 * @param answer how the provider answers this operation: sealed as the profile's {@code open} says, or in plain
 *               JSON by design (Juspay's Mandate Execution, {@code txn}), trusted through the HTTPS exchange only
 */
public record Operation(String method, String path, Answer answer) {

    public Operation {
        answer = answer == null ? Answer.JOSE : answer;
    }

    public enum Answer {
        JOSE, PLAIN;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Answer fromWireName(String name) {
            for (Answer answer : values()) {
                if (answer.wireName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return answer;
                }
            }
            throw new IllegalArgumentException("'" + name + "' is not an answer form (jose, plain)");
        }
    }
}
