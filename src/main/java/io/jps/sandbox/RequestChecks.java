package io.jps.sandbox;

import io.jps.keys.Keyset;
import io.jps.open.OpenFailure;
import io.jps.profile.Credentials;
import io.jps.profile.ProviderProfile;
import io.jps.profile.RequestSeal;
import io.jps.profile.WireForms;
import io.jps.record.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;

/**
 * A provider's checks of one request, in the order a provider makes them: who is calling (the identifier that names
 * the account, then its credentials), the documented headers, the body's wire form, and then decryption and our
 * signature ({@link ProviderCrypto#openRequest}, which also checks Wise's {@code url} header). All of it is read from
 * the profile: the headers it sends are the headers it must send.
 */
final class RequestChecks {

    /** Methods whose requests carry no body: the provider only answers them (Wise encrypts the answer alone). */
    private static final Set<String> BODYLESS = Set.of("GET", "HEAD");
    /** A transport preference that the profile sends but no provider refuses a request over. */
    private static final String ACCEPT_ENCODING = "Accept-Encoding";
    /** The account of a profile that has no identifier and no credentials: nothing tells its accounts apart. */
    private static final String DEFAULT_ACCOUNT = "default";

    /**
     * A request that passed every check.
     *
     * @param payload    the plaintext payload, or null for a request without a body
     * @param contentKey the request's content key, where the profile keeps it for {@code alg: dir} answers
     */
    record Accepted(String account, byte[] payload, SecretKey contentKey) {
        @Override
        public String toString() {
            return "Accepted[" + account + ", " + (payload == null ? "no body" : payload.length + " bytes") + "]";
        }
    }

    private final ProviderCrypto crypto;
    private final AccountDirectory accounts;
    private final Clock clock;
    private final Duration clockSkew;

    RequestChecks(ProviderCrypto crypto, AccountDirectory accounts, Clock clock, Duration clockSkew) {
        this.crypto = crypto;
        this.accounts = accounts;
        this.clock = clock;
        this.clockSkew = clockSkew;
    }

    Accepted check(ProviderProfile profile, IncomingRequest request) throws Refused {
        String account = account(profile, request);
        try {
            Keyset keyset = accounts.keyset(profile.name(), account).orElseThrow(() -> new Refused(Refusal.UNKNOWN_CREDENTIAL));
            checkCredentials(profile, keyset, request);
            checkHeaders(profile, request);
            return open(profile, account, request);
        } catch (Refused refused) {
            throw refused.at(account);
        }
    }

    private String account(ProviderProfile profile, IncomingRequest request) throws Refused {
        AccountIdentifier identifier = AccountIdentifier.of(profile);
        if (identifier == null) {
            return DEFAULT_ACCOUNT;
        }
        String value = identifier.valueIn(request);
        Optional<String> account = value == null ? Optional.empty() : accounts.accountFor(profile.name(), value);
        return account.orElseThrow(() -> new Refused(Refusal.UNKNOWN_CREDENTIAL));
    }

    private void checkCredentials(ProviderProfile profile, Keyset keyset, IncomingRequest request) throws Refused {
        for (Map.Entry<String, String> header : profile.headersFromSecrets().entrySet()) {
            if (!sameSecret(request.header(header.getKey()), secret(keyset, header.getValue()))) {
                throw new Refused(Refusal.UNKNOWN_CREDENTIAL);
            }
        }
        Credentials credentials = profile.credentials();
        String token = AccountIdentifier.bearerToken(request.header(AccountIdentifier.AUTHORIZATION));
        switch (credentials.scheme()) {
            case NONE -> { }
            case BEARER -> {
                if (!sameSecret(token, secret(keyset, credentials.secret()))) {
                    throw new Refused(Refusal.UNKNOWN_CREDENTIAL);
                }
            }
            case JWT_HS256 -> {
                String subject = secret(keyset, credentials.subjectSecret());
                String hmacSecret = secret(keyset, credentials.hmacSecret());
                if (token == null || subject == null || hmacSecret == null) {
                    throw new Refused(Refusal.UNKNOWN_CREDENTIAL);
                }
                Hs256Token.check(token, credentials, subject, hmacSecret, clock.instant(), clockSkew);
            }
        }
    }

    private static void checkHeaders(ProviderProfile profile, IncomingRequest request) throws Refused {
        for (Map.Entry<String, String> header : profile.headers().entrySet()) {
            if (!header.getKey().equalsIgnoreCase(ACCEPT_ENCODING) && !matches(request.header(header.getKey()), header.getValue())) {
                throw new Refused(Refusal.HEADER_MISMATCH);
            }
        }
    }

    /** Media types compare without their parameters ({@code ; charset=...}), and an Accept list may hold others too. */
    private static boolean matches(String received, String expected) {
        if (received == null) {
            return false;
        }
        String wanted = mediaType(expected);
        for (String element : received.split(",")) {
            if (mediaType(element).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static String mediaType(String value) {
        int semicolon = value.indexOf(';');
        return (semicolon < 0 ? value : value.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private Accepted open(ProviderProfile profile, String account, IncomingRequest request) throws Refused {
        if (request.body().length == 0) {
            if (BODYLESS.contains(request.method())) {
                return new Accepted(account, null, null);
            }
            throw new Refused(Refusal.FORMAT_NOT_SUPPORTED);
        }
        String body;
        try {
            body = Json.strictUtf8(request.body());
        } catch (Json.MalformedJsonException e) {
            throw new Refused(Refusal.FORMAT_NOT_SUPPORTED);
        }
        RequestSeal seal = profile.seal();
        try {
            if (seal.wireForm().isSealed()) {
                WireForms.unwrap(body, seal.wireForm(), seal.envelopeField());
            } else {
                Json.parseTree(body);
            }
        } catch (WireForms.NotInWireForm | Json.MalformedJsonException e) {
            throw new Refused(Refusal.FORMAT_NOT_SUPPORTED);
        }
        try {
            ProviderCrypto.OpenedRequest opened = crypto.openRequest(profile.name(), account, request.path(), body);
            return new Accepted(account, opened.payload(), opened.contentKey());
        } catch (OpenFailure failure) {
            throw new Refused(Refusal.of(failure));
        }
    }

    private static String secret(Keyset keyset, String name) {
        return name == null ? null : keyset.secrets().get(name).orElse(null);
    }

    /** Compared in constant time: how long a wrong guess takes must not tell how much of it was right. */
    private static boolean sameSecret(String received, String expected) {
        return received != null && expected != null
                && MessageDigest.isEqual(received.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
