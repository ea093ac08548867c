package io.jps.seal;

import io.jps.record.SealedRequest;
import io.jps.record.SentRequest;

/**
 * A sealed request, and what SEAL remembers of it: the operation (which decides how its answer is opened) and,
 * for profiles that keep it, the request's content key wrapped under the keyset's local wrapping key.
 */
public record Sealed(SealedRequest request, String operation, String wrappedCek) {

    /** What the open stage will need to open this request's answer. */
    public SentRequest sent() {
        return new SentRequest(request.provider(), request.account(), operation, request.sealedAt(), wrappedCek, null);
    }
}
