package io.jps.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jps.record.PaymentRequest;

/** A realistic request per built-in provider, with a payload of about 1 KB (the size benchmarks quote). */
public final class SampleRequests {

    private SampleRequests() {
    }

    public static PaymentRequest forProvider(String provider, String account, String requestId) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        String operation;
        String method = null;
        String path = null;
        switch (provider) {
            case "juspay" -> {
                operation = "refund";
                payload.put("order_id", "ord_" + requestId).put("unique_request_id", requestId).put("amount", "10.00");
            }
            case "wise" -> {
                operation = "case";
                payload.put("type", "GENERAL_ENQUIRY").put("subject", "Inquiry about transfer " + requestId)
                        .put("externalId", requestId);
            }
            case "socure" -> {
                operation = "evaluation";
                payload.put("id", requestId).putObject("data").putObject("individual")
                        .put("given_name", "Ada").put("family_name", "Lovelace").put("date_of_birth", "1815-12-10");
            }
            default -> {
                // PortOne's only documented operation is a GET; a body-carrying call is given by method and path.
                operation = null;
                method = "POST";
                path = "/api/paymentLink";
                payload.put("merchant_order_id", requestId).put("amount", 1000).put("currency", "KRW");
            }
        }
        payload.put("description", "x".repeat(Math.max(0, 1024 - payload.toString().length() - 20)));
        return new PaymentRequest(requestId, provider, account, operation, method, path, null, payload);
    }
}
