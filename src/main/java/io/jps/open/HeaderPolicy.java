package io.jps.open;

import com.fasterxml.jackson.databind.JsonNode;
import io.jps.profile.Printable;
import io.jps.profile.ReasonCode;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a protected header must be before any cryptography runs: an {@code alg} (and {@code enc}) from the
 * profile's allow-list, no {@code zip}, no {@code crit}. Each refusal names the offending value, unless it came
 * out of a decryption and is not yet verified, in which case it is withheld.
 */
final class HeaderPolicy {

    static final String WITHHELD = "(value withheld: it was encrypted)";

    private HeaderPolicy() {
    }

    static String requiredText(JsonNode header, String name, OpenPhase phase) throws OpenFailure {
        JsonNode value = header.get(name);
        if (value == null || !value.isTextual()) {
            throw new OpenFailure(phase, ReasonCode.MALFORMED, "protected header has no " + name);
        }
        return value.asText();
    }

    /** @param withhold the value came out of a decryption and must not be echoed */
    static void requireAllowed(OpenPhase phase, String what, String value, Set<? extends com.nimbusds.jose.Algorithm> allowed,
                               boolean withhold) throws OpenFailure {
        Set<String> names = names(allowed);
        if (!names.contains(value)) {
            throw new OpenFailure(phase, ReasonCode.ALG_NOT_ALLOWED, what
                    + (withhold ? " " + WITHHELD : " '" + Printable.of(value) + "'") + " is not allowed ("
                    + (names.isEmpty() ? "none is" : String.join(", ", names.stream().sorted().toList())) + ")");
        }
    }

    static void refuseUnsupported(JsonNode header, OpenPhase phase) throws OpenFailure {
        if (header.has("zip")) {
            // Compressed plaintext invites decompression bombs and compression oracles; no profile uses it.
            throw new OpenFailure(phase, ReasonCode.UNSUPPORTED_HEADER, "zip is not accepted");
        }
        if (header.has("crit")) {
            throw new OpenFailure(phase, ReasonCode.UNSUPPORTED_HEADER, "crit parameters are not understood here");
        }
    }

    private static Set<String> names(Set<? extends com.nimbusds.jose.Algorithm> algorithms) {
        return algorithms.stream().map(com.nimbusds.jose.Algorithm::getName).collect(Collectors.toSet());
    }
}
