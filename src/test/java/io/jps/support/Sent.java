package io.jps.support;

import io.jps.record.ProviderResponse;
import io.jps.record.SentRequest;

/** What SEAL would have remembered of a request, for tests that open answers without running the topology. */
public final class Sent {

    public static final long SEALED_AT = 1_771_236_000_000L;

    private Sent() {
    }

    /** The request {@code response} answers, sent to the provider and account the response names. */
    public static SentRequest to(ProviderResponse response, String wrappedCek) {
        return new SentRequest(response.provider(), response.account(), null, SEALED_AT, wrappedCek, null);
    }

    public static SentRequest to(ProviderResponse response) {
        return to(response, null);
    }
}
