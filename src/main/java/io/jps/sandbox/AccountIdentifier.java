package io.jps.sandbox;

import io.jps.profile.Credentials;
import io.jps.profile.ProviderProfile;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which request header tells a provider's accounts apart, and which secret of an account it carries. The account
 * is not on the wire, so the provider knows it by an identifier it issued: a header kept in the keyset's secrets
 * (Juspay's {@code x-merchantid}, PortOne's {@code X-Portone-Client-Key}) or else the bearer token (Wise, Socure).
 *
 * @param header     the request header
 * @param secretName the name in {@code secrets.properties} whose value it carries
 * @param bearer     the value is {@code Bearer <secret>}
 */
record AccountIdentifier(String header, String secretName, boolean bearer) {

    static final String AUTHORIZATION = "Authorization";
    private static final String BEARER_PREFIX = "bearer ";

    /** The identifier of the profile's accounts, or null when it has none (then it serves account {@code default}). */
    static AccountIdentifier of(ProviderProfile profile) {
        if (!profile.headersFromSecrets().isEmpty()) {
            Map.Entry<String, String> first = new TreeMap<>(profile.headersFromSecrets()).firstEntry();
            return new AccountIdentifier(first.getKey(), first.getValue(), false);
        }
        if (profile.credentials().scheme() == Credentials.Scheme.BEARER) {
            return new AccountIdentifier(AUTHORIZATION, profile.credentials().secret(), true);
        }
        return null;
    }

    /** The identifier's value in a request, or null when the header is missing or not in its form. */
    String valueIn(IncomingRequest request) {
        String value = request.header(header);
        return bearer ? bearerToken(value) : value;
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or null. */
    static String bearerToken(String authorization) {
        if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith(BEARER_PREFIX)) {
            return null;
        }
        String token = authorization.substring(BEARER_PREFIX.length()).trim();
        return token.isEmpty() ? null : token;
    }
}
