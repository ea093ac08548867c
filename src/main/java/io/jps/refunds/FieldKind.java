package io.jps.refunds;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/** What a required field of a refund row must hold, and how that is said to whoever wrote the file. */
enum FieldKind {
    TEXT("a non-empty string"),
    /** What the seal stage accepts for a {@code {name}} of the operation's path. */
    PATH_SEGMENT("a non-empty string or integer (it fills the request path)"),
    POSITIVE_DECIMAL("a positive decimal such as 10.00");

    private static final Pattern PLAIN_DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");

    private final String expected;

    FieldKind(String expected) {
        this.expected = expected;
    }

    String expected() {
        return expected;
    }

    boolean accepts(JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        return switch (this) {
            case TEXT -> value.isTextual() && !value.asText().isBlank();
            case PATH_SEGMENT -> (value.isTextual() && !value.asText().isBlank()) || value.isIntegralNumber();
            case POSITIVE_DECIMAL -> positiveDecimal(value);
        };
    }

    private static boolean positiveDecimal(JsonNode value) {
        if (value.isNumber()) {
            return value.decimalValue().signum() > 0;
        }
        // Plain notation only: "1e3" or "+5" in a refund file is more likely a spreadsheet accident than an amount.
        return value.isTextual() && PLAIN_DECIMAL.matcher(value.asText()).matches()
                && new BigDecimal(value.asText()).signum() > 0;
    }
}
