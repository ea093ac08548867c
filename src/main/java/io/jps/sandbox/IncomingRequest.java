package io.jps.sandbox;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request as it reached one provider's endpoint.
 *
 * @param path    the path below the provider's base URL, with its query if any
 * @param headers the first value of each header, looked up without regard to case (HTTP header names are not
 *                case-sensitive)
 * @param body    the body as received; empty when there was none
 */
record IncomingRequest(String method, String path, Map<String, String> headers, byte[] body) {

    IncomingRequest {
        Map<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseless.putAll(headers);
        headers = Collections.unmodifiableMap(caseless);
    }

    String header(String name) {
        return headers.get(name);
    }

    @Override
    public String toString() {
        return "IncomingRequest[" + method + " " + path + ", " + body.length + " bytes]";
    }
}
