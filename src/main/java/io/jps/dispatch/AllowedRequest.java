package io.jps.dispatch;

import java.net.URI;
import java.util.Map;

/**
 * The one HTTP request the dispatcher will make for a sealed record, as its provider's profile allows it: the URL
 * under the profile's base URL, an allowed method, the record's headers under the profile's header names only.
 * Credentials and the idempotency key are added per attempt, never kept here.
 */
record AllowedRequest(URI uri, String method, Map<String, String> headers, String body) {

    AllowedRequest {
        headers = Map.copyOf(headers);
    }
}
