package io.jps.seal;

import io.jps.record.SealedRequest;

/**
 * A sealed request and, for profiles that keep it, the request's content key wrapped under the keyset's
 * local wrapping key (for the {@code jps.cek-wrapped} record header).
 */
public record Sealed(SealedRequest request, String wrappedCek) {
}
