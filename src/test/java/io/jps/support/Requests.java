package io.jps.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;

/** Typical requests for each built-in provider, as a payment platform would put them on the topic. */
public final class Requests {

    private Requests() {
    }

    public static PaymentRequest typical(String provider, String account, String requestId) {
        return switch (provider) {
            case "juspay" -> new PaymentRequest(requestId, provider, account, "refund", null, null, "ord_77",
                    json("{\"order_id\":\"ord_77\",\"unique_request_id\":\"" + requestId + "\",\"amount\":\"10.00\"}"));
            case "wise" -> new PaymentRequest(requestId, provider, account, "case", null, null, null,
                    json("{\"type\":\"GENERAL_ENQUIRY\",\"subject\":\"Inquiry about Transfer 12345\","
                            + "\"details\":{\"transferId\":58114690,\"profileId\":14556049},\"externalId\":\"" + requestId + "\"}"));
            case "socure" -> new PaymentRequest(requestId, provider, account, "evaluation", null, null, null,
                    json("{\"id\":\"" + requestId + "\",\"data\":{\"individual\":{\"given_name\":\"Ada\",\"family_name\":\"Lovelace\"}}}"));
            case "portone" -> new PaymentRequest(requestId, provider, account, null, "POST", "/api/paymentLink", null,
                    json("{\"merchant_order_id\":\"" + requestId + "\",\"amount\":1000,\"currency\":\"KRW\"}"));
            default -> throw new IllegalArgumentException(provider);
        };
    }

    public static JsonNode json(String text) {
        try {
            return Json.parseTree(text);
        } catch (Json.MalformedJsonException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
