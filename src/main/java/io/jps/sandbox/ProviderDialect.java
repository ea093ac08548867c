package io.jps.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jps.record.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the profile data cannot say about a provider: the shape and wording of its errors, and the envelope
 * around its answers. A provider added by configuration (not named like a preset) gets the generic dialect.
 */
enum ProviderDialect {
    /** Errors as {@code {"status": "error", "error_code", "error_message"}}; 401 for an unknown merchant id. */
    JUSPAY,
    /** Errors as {@code {"errors": [{"code", "message"}]}}; 401 without a valid token, 403 for a request that is not JOSE. */
    WISE,
    /** Every refusal is a 400 with one of the messages its documentation lists, beside an {@code eval_id}. */
    SOCURE,
    /** Authentication failures are 401. */
    PORTONE,
    /** Errors as {@code {"error", "message"}}; 401 for authentication failures, else 400. */
    GENERIC;

    /** Socure's documented answer to a request that verified but whose answer could not be encrypted. */
    static final String SOCURE_SERVER_ERROR =
            "The encrypted payload is verified with success, however, server has internal problems to handle response encryption";

    private static final String SOCURE_DOCV_PATH = "/api/docv/";
    private static final String JUSPAY_MERCHANT_ID = "x-merchantid";

    /** Presets are recognised by name, as the key generator does, so that {@code juspay-eu} speaks Juspay too. */
    static ProviderDialect of(String providerName) {
        for (ProviderDialect dialect : List.of(JUSPAY, WISE, SOCURE, PORTONE)) {
            if (providerName.startsWith(dialect.name().toLowerCase(Locale.ROOT))) {
                return dialect;
            }
        }
        return GENERIC;
    }

    /**
     * @param reference the provider's own id of this request, where it sends one (Socure's {@code eval_id})
     */
    Reply refuse(Refusal refusal, String reference) {
        return error(status(refusal), refusal.code(), message(refusal), reference);
    }

    /** The answer of a provider that is failing (the sandbox's 5xx fault). */
    Reply serverError(String reference) {
        return this == SOCURE ? error(500, "internal_error", SOCURE_SERVER_ERROR, reference)
                : error(503, "service_unavailable", "the service is temporarily unavailable", reference);
    }

    /** The answer of a provider that is shedding load (the sandbox's 429 fault). */
    Reply rateLimited(String reference, Duration retryAfter) {
        return error(429, "too_many_requests", "too many requests", reference)
                .withHeader("Retry-After", Long.toString(retryAfter.getSeconds()));
    }

    /**
     * The answer body around a sealed (or plain) answer as the profile's wire form put it. Socure names its reference
     * by service: {@code eval_id} for Evaluation, {@code docv_previous_reference_id} for DocV.
     */
    String answerBody(String body, IncomingRequest request, String reference) {
        if (this != SOCURE) {
            return body;
        }
        String referenceField = request.path().startsWith(SOCURE_DOCV_PATH) ? "docv_previous_reference_id" : "eval_id";
        ObjectNode envelope = Json.MAPPER.createObjectNode().put(referenceField, reference);
        try {
            envelope.setAll((ObjectNode) Json.parseTree(body));
        } catch (Json.MalformedJsonException | ClassCastException e) {
            throw new IllegalStateException("the envelope wire form made a body that is not a JSON object", e);
        }
        return Json.write(envelope);
    }

    /**
     * The plain JSON answer of an operation answered so by design. Juspay's only such answer in its guide is the
     * Mandate Execution's ({@code POST /v4/txns}), in its shape; any other dialect answers with the echo itself.
     *
     * @param echo what the sealed answers carry: the request's payload, method, path and idempotency key
     */
    JsonNode plainAnswer(IncomingRequest request, ObjectNode echo, String reference) {
        if (this != JUSPAY) {
            return echo;
        }
        JsonNode orderId = echo.path("echo").path("order_id");
        String order = orderId.isTextual() ? orderId.asText() : "order";
        String merchant = request.header(JUSPAY_MERCHANT_ID);
        ObjectNode answer = Json.MAPPER.createObjectNode()
                .put("txn_uuid", reference)
                .put("txn_id", merchant + "-" + order + "-1")
                .put("status", "PENDING_VBV");
        answer.putObject("payment").putObject("authentication")
                .put("url", "https://api.juspay.io/v2/pay/finish/" + merchant + "/" + reference + "/1")
                .put("method", "GET");
        answer.put("order_id", order);
        return answer;
    }

    private int status(Refusal refusal) {
        return switch (this) {
            case SOCURE -> 400;
            case WISE -> refusal.isAuthentication() ? 401 : refusal == Refusal.HEADER_MISMATCH ? 403 : 400;
            case JUSPAY, PORTONE, GENERIC -> refusal.isAuthentication() ? 401 : 400;
        };
    }

    private String message(Refusal refusal) {
        if (this != SOCURE) {
            return refusal.message();
        }
        return switch (refusal) {
            case UNKNOWN_CREDENTIAL, BAD_TOKEN, TOKEN_EXPIRED -> "Payload encryption is not supported for this api-key";
            case HEADER_MISMATCH, FORMAT_NOT_SUPPORTED, URL_MISMATCH -> "Payload format is not supported";
            case NOT_JWE -> "Encrypted payload is not in JWE format";
            case DECRYPT_FAILED -> "Payload decryption failed";
            case NOT_JWS -> "Signed payload is not in JWS format";
            case BAD_SIGNATURE -> "Payload signature could not be verified";
        };
    }

    private Reply error(int status, String code, String message, String reference) {
        Map<String, Object> body = new LinkedHashMap<>();
        switch (this) {
            case JUSPAY -> {
                body.put("status", "error");
                body.put("error_code", code);
                body.put("error_message", message);
            }
            case WISE -> body.put("errors", List.of(Map.of("code", code, "message", message)));
            case SOCURE -> {
                body.put("eval_id", reference);
                body.put("error", message);
            }
            case PORTONE -> {
                body.put("status_code", status);
                body.put("status_reason", code.toUpperCase(Locale.ROOT));
                body.put("message", message);
            }
            case GENERIC -> {
                body.put("error", code);
                body.put("message", message);
            }
        }
        return Reply.json(status, body);
    }
}
