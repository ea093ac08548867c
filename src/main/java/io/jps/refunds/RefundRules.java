package io.jps.refunds;

import io.jps.profile.Operation;
import io.jps.profile.ProviderProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a row must hold to be one refund of a provider, which of its fields makes it the same refund when it is
 * submitted again, and which key keeps it in order with its payment. The fields that fill the {@code refund}
 * operation's path come from the profile, so a provider added in configuration gets them; what a provider's own
 * document adds (Juspay: {@code unique_request_id} is the refund's idempotency key, {@code amount}) is known here
 * by provider name. A provider without such knowledge is identified by its whole row.
 */
public final class RefundRules {

    public static final String OPERATION = "refund";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    /** The seal stage's own limit on a record key. */
    private static final int MAX_KEY_CHARS = 1000;

    private record Known(String idempotencyField, String orderingField, Map<String, FieldKind> fields) {
    }

    private static final Map<String, Known> KNOWN = Map.of(
            // Juspay's Refund Order API: POST /v4/orders/{order_id}/refunds with unique_request_id and amount.
            "juspay", new Known("unique_request_id", "order_id",
                    Map.of("unique_request_id", FieldKind.TEXT, "amount", FieldKind.POSITIVE_DECIMAL)));

    private final String provider;
    private final Map<String, FieldKind> required;
    private final String idempotencyField;
    private final String orderingField;

    private RefundRules(String provider, Map<String, FieldKind> required, String idempotencyField, String orderingField) {
        this.provider = provider;
        this.required = required;
        this.idempotencyField = idempotencyField;
        this.orderingField = orderingField;
    }

    /** Empty when the provider's operation table has no {@code refund}. */
    public static Optional<RefundRules> forProvider(ProviderProfile profile) {
        Optional<Operation> refund = profile.operation(OPERATION);
        if (refund.isEmpty()) {
            return Optional.empty();
        }
        Map<String, FieldKind> required = new LinkedHashMap<>();
        Matcher placeholders = PLACEHOLDER.matcher(refund.get().path());
        while (placeholders.find()) {
            required.put(placeholders.group(1), FieldKind.PATH_SEGMENT);
        }
        Known known = KNOWN.get(profile.name());
        if (known == null) {
            return Optional.of(new RefundRules(profile.name(), required, null, null));
        }
        known.fields().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(field -> required.putIfAbsent(field.getKey(), field.getValue()));
        return Optional.of(new RefundRules(profile.name(), required, known.idempotencyField(), known.orderingField()));
    }

    public String provider() {
        return provider;
    }

    /** The payload fields every row must have, the path's first. */
    public Set<String> requiredFields() {
        return required.keySet();
    }

    /** Null when a row is identified by all of its payload fields. */
    public String idempotencyField() {
        return idempotencyField;
    }

    public List<RowProblem> check(RefundRow row) {
        List<RowProblem> problems = new ArrayList<>();
        required.forEach((field, kind) -> {
            if (!kind.accepts(row.payload().get(field))) {
                problems.add(new RowProblem(row.line(), field, "expected " + kind.expected()));
            }
        });
        if (row.account() != null && (!PLAIN_NAME.matcher(row.account()).matches())) {
            problems.add(new RowProblem(row.line(), RefundFile.ACCOUNT, "expected an account name (letters, digits, '.', '-', '_')"));
        }
        if (row.key() != null && (row.key().isEmpty() || row.key().length() > MAX_KEY_CHARS)) {
            problems.add(new RowProblem(row.line(), RefundFile.KEY, "expected 1 to " + MAX_KEY_CHARS + " characters"));
        }
        return problems;
    }

    /** What makes two rows the same refund: the idempotency field's value, else the whole payload. */
    public String idempotencyMaterial(RefundRow row) {
        if (idempotencyField != null) {
            return idempotencyField + "=" + row.payload().get(idempotencyField).asText();
        }
        return CanonicalJson.of(row.payload());
    }

    /** The {@code key} column, else the field that keeps a payment and its refunds in order, else the requestId. */
    public String recordKey(RefundRow row, String requestId) {
        if (row.key() != null) {
            return row.key();
        }
        if (orderingField != null) {
            return row.payload().get(orderingField).asText();
        }
        return requestId;
    }

    /** For messages: "a juspay refund needs order_id, amount, unique_request_id". */
    public String describe() {
        return "a " + provider + " refund needs " + (required.isEmpty() ? "no particular field" : String.join(", ", required.keySet()));
    }
}
