package io.jps.sandbox;

import io.jps.record.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP answer of the sandbox: status, headers and body. */
record Reply(int status, Map<String, String> headers, String body) {

    static final String CONTENT_TYPE = "Content-Type";

    Reply {
        headers = Map.copyOf(headers);
    }

    static Reply json(int status, Object body) {
        return new Reply(status, Map.of(CONTENT_TYPE, "application/json"), Json.write(body));
    }

    Reply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Reply(status, more, body);
    }

    @Override
    public String toString() {
        return "Reply[" + status + ", " + body.length() + " chars]";
    }
}
