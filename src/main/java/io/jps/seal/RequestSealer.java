package io.jps.seal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEHeader;
import io.jps.keys.CekWrap;
import io.jps.keys.KeyRing;
import io.jps.keys.Keyset;
import io.jps.keys.KeysetLookup;
import io.jps.keys.OwnKey;
import io.jps.keys.PeerKey;
import io.jps.profile.KidSource;
import io.jps.profile.Operation;
import io.jps.profile.Printable;
import io.jps.profile.ProviderProfile;
import io.jps.profile.ReasonCode;
import io.jps.profile.RequestSeal;
import io.jps.profile.WireForm;
import io.jps.profile.WireForms;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.SealedRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a plaintext payment request into exactly the HTTP request its provider expects: method and path
 * from the operation table, non-secret headers, and the body signed and/or encrypted as the profile says.
 * Credentials are not added here; the dispatcher adds them at send time ({@link SendTimeCredentials}).
 */
public final class RequestSealer {

    /** Methods that carry no body: their payload only fills the path. */
    private static final Set<String> BODYLESS = Set.of("GET", "HEAD");

    private final Map<String, ProviderProfile> profiles;
    private final KeyRing keyRing;
    private final JoseSealer jose;
    private final Clock clock;

    public RequestSealer(Map<String, ProviderProfile> profiles, KeyRing keyRing, JoseSealer jose, Clock clock) {
        this.profiles = Map.copyOf(profiles);
        this.keyRing = keyRing;
        this.jose = jose;
        this.clock = clock;
    }

    public Sealed seal(PaymentRequest request) throws SealFailure {
        ProviderProfile profile = profiles.get(request.provider());
        if (profile == null) {
            throw new SealFailure(ReasonCode.UNKNOWN_PROVIDER, "no profile for provider '" + Printable.of(request.provider()) + "'");
        }
        Keyset keyset = keyset(request.provider(), request.account());
        String method = method(request, profile);
        String path = path(request, profile);
        Instant now = clock.instant();

        Map<String, String> headers = new LinkedHashMap<>(profile.headers());
        for (Map.Entry<String, String> header : profile.headersFromSecrets().entrySet()) {
            String value = keyset.secrets().get(header.getValue()).orElseThrow(() -> new SealFailure(ReasonCode.NO_KEY,
                    "secrets.properties of " + keyset.id() + " has no '" + header.getValue() + "' for header " + header.getKey()));
            headers.put(header.getKey(), value);
        }

        String body = null;
        String wrappedCek = null;
        if (!BODYLESS.contains(method)) {
            byte[] payload = Json.writeBytes(request.payload());
            RequestSeal seal = profile.seal();
            if (seal.wireForm() == WireForm.JSON) {
                body = new String(payload, StandardCharsets.UTF_8);
            } else {
                try {
                    String token = seal.signs() ? sign(payload, seal, keyset, now) : null;
                    if (seal.encrypts()) {
                        byte[] plaintext = token != null ? token.getBytes(StandardCharsets.US_ASCII) : payload;
                        JoseSealer.Encrypted encrypted = encrypt(plaintext, seal, keyset, path, token != null, now);
                        token = encrypted.compact();
                        wrappedCek = encrypted.contentKey() == null ? null : wrap(encrypted, keyset);
                    }
                    body = WireForms.wrap(token, seal.wireForm(), seal.envelopeField());
                } catch (JOSEException | GeneralSecurityException e) {
                    throw new SealFailure(ReasonCode.SEAL_FAILED, "sealing for " + keyset.id() + " failed ("
                            + e.getClass().getSimpleName() + ")");
                }
            }
        }
        SealedRequest sealed = new SealedRequest(request.requestId(), request.provider(), request.account(), method, path,
                headers, body, now.toEpochMilli());
        // Given by method and path, a request may still be one of the table's operations: its answer is opened as that one's.
        String operation = request.operation() != null ? request.operation() : profile.operationNameFor(method, path).orElse(null);
        return new Sealed(sealed, operation, wrappedCek);
    }

    private Keyset keyset(String provider, String account) throws SealFailure {
        KeysetLookup lookup = keyRing.lookup(provider, account);
        if (lookup instanceof KeysetLookup.Found found) {
            return found.keyset();
        }
        if (lookup instanceof KeysetLookup.Broken broken) {
            throw new SealFailure(ReasonCode.NO_KEY, "keyset " + broken.id() + " cannot be loaded: " + broken.problem());
        }
        throw new SealFailure(ReasonCode.UNKNOWN_ACCOUNT, "no keyset for provider '" + Printable.of(provider)
                + "' and account '" + Printable.of(account) + "'");
    }

    private static String method(PaymentRequest request, ProviderProfile profile) throws SealFailure {
        if (request.method() != null) {
            String method = request.method().toUpperCase(Locale.ROOT);
            if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                throw new SealFailure(ReasonCode.MALFORMED, "method must be one of GET, POST, PUT, PATCH, DELETE");
            }
            return method;
        }
        return operation(request, profile).method();
    }

    private static String path(PaymentRequest request, ProviderProfile profile) throws SealFailure {
        if (request.path() != null) {
            return PathTemplate.checked(request.path());
        }
        return PathTemplate.fill(operation(request, profile).path(), request.payload());
    }

    private static Operation operation(PaymentRequest request, ProviderProfile profile) throws SealFailure {
        if (request.operation() == null) {
            throw new SealFailure(ReasonCode.MALFORMED, "the request needs an operation, or a method and a path");
        }
        return profile.operation(request.operation()).orElseThrow(() -> new SealFailure(ReasonCode.UNKNOWN_OPERATION,
                "provider " + profile.name() + " has no operation '" + Printable.of(request.operation()) + "' (it has "
                        + String.join(", ", profile.operations().keySet().stream().sorted().toList()) + ")"));
    }

    private String sign(byte[] payload, RequestSeal seal, Keyset keyset, Instant now) throws SealFailure, JOSEException {
        OwnKey key = keyset.signingKey(seal.jwsAlgorithm().orElseThrow(), now).orElseThrow(() -> new SealFailure(ReasonCode.NO_KEY,
                "keyset " + keyset.id() + " has no valid private key to sign with"));
        String kid = seal.signatureKid() == KidSource.MERCHANT ? key.kid() : null;
        return jose.sign(payload, seal.jwsAlgorithm().orElseThrow(), kid, key);
    }

    private JoseSealer.Encrypted encrypt(byte[] plaintext, RequestSeal seal, Keyset keyset, String path, boolean nested,
                                         Instant now) throws SealFailure, JOSEException {
        PeerKey key = keyset.encryptionKey(seal.jweAlgorithm().orElseThrow(), now).orElseThrow(() -> new SealFailure(ReasonCode.NO_KEY,
                "keyset " + keyset.id() + " has no valid provider public key to encrypt to"));
        JWEHeader.Builder header = new JWEHeader.Builder(seal.jweAlgorithm().orElseThrow(), seal.encryptionMethod());
        if (nested && seal.contentType() != null) {
            header.contentType(seal.contentType());
        }
        switch (seal.encryptionKid()) {
            case MERCHANT -> header.keyID(keyset.ownKid(now).orElse(null));
            case PROVIDER -> header.keyID(key.kid());
            case NONE -> { }
        }
        if (seal.urlHeader()) {
            header.customParam("url", path);
        }
        // Without a wrapping key a `dir` answer cannot be opened later, but the request itself is still good.
        return jose.encrypt(header.build(), plaintext, key, seal.wrapCek() && keyset.cekWrapKey().isPresent());
    }

    private static String wrap(JoseSealer.Encrypted encrypted, Keyset keyset) throws GeneralSecurityException {
        return CekWrap.wrap(keyset.cekWrapKey().orElseThrow(), encrypted.contentKey());
    }
}
