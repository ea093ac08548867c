package io.jps.open;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import io.jps.keys.CryptoBackend;
import io.jps.keys.Keyset;
import io.jps.keys.OwnKey;
import io.jps.keys.PeerKey;
import io.jps.profile.Printable;
import io.jps.profile.ReasonCode;
import io.jps.record.Json;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.SecretKey;

/**
 * Opens a compact JOSE token under an {@link OpeningPolicy}, with keys chosen only from one keyset. Every
 * check that can be made on the protected header is made before any cryptography, so each refusal has a
 * precise reason: the header's own {@code alg}, {@code enc}, {@code zip} and {@code crit} are read from the
 * raw JSON rather than trusted to a parser that might reject or accept them for its own reasons.
 */
public final class JoseOpener {

    private static final String WITHHELD = "(value withheld: it was encrypted)";
    private static final boolean[] BASE64URL_ALPHABET = new boolean[128];

    static {
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray()) {
            BASE64URL_ALPHABET[c] = true;
        }
    }

    private final CryptoBackend backend;
    private final Clock clock;
    private final Duration clockSkew;

    public JoseOpener(CryptoBackend backend, Clock clock, Duration clockSkew) {
        this.backend = backend;
        this.clock = clock;
        this.clockSkew = clockSkew;
    }

    /**
     * @param directKey the content key for {@code alg: dir} tokens, or null when there is none
     */
    public Opened open(String token, OpeningPolicy policy, Keyset keys, DirectKey directKey) throws OpenFailure {
        Instant now = clock.instant();
        if (!policy.decrypts()) {
            return verify(token, policy, keys, now, false);
        }
        String[] parts = parts(token, 5, "JWE", OpenPhase.DECRYPTION, ReasonCode.MALFORMED);
        JsonNode header = protectedHeader(parts[0], OpenPhase.DECRYPTION, ReasonCode.MALFORMED);
        String alg = text(header, "alg", OpenPhase.DECRYPTION);
        String enc = text(header, "enc", OpenPhase.DECRYPTION);
        if (!names(policy.keyAlgorithms()).contains(alg)) {
            throw notAllowed(OpenPhase.DECRYPTION, "JWE alg", alg, names(policy.keyAlgorithms()));
        }
        if (!names(policy.contentAlgorithms()).contains(enc)) {
            throw notAllowed(OpenPhase.DECRYPTION, "JWE enc", enc, names(policy.contentAlgorithms()));
        }
        refuseUnsupportedHeaders(header, OpenPhase.DECRYPTION);
        byte[] content = decrypt(parts, alg, header, keys, directKey, now);

        Opened opened;
        if (policy.verifies()) {
            opened = verify(new String(content, StandardCharsets.US_ASCII), policy, keys, now, true);
        } else {
            opened = new Opened(content, null);
        }
        if (policy.honourExpiry()) {
            checkTimes(header, policy.maxAge(), now);
        }
        return opened;
    }

    private byte[] decrypt(String[] parts, String alg, JsonNode header, Keyset keys, DirectKey directKey, Instant now)
            throws OpenFailure {
        JWEHeader jweHeader;
        try {
            jweHeader = JWEHeader.parse(new JdkBase64Url(parts[0]));
        } catch (ParseException e) {
            throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.MALFORMED, "protected header is not a JWE header");
        }
        if (JWEAlgorithm.DIR.getName().equals(alg)) {
            SecretKey contentKey = directKey == null ? null : directKey.get();
            if (contentKey == null) {
                throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.DECRYPT_FAILED,
                        "alg dir answer, but the request's content key is not available (no jps.cek-wrapped header "
                                + "or no cek-wrap.key in keyset " + keys.id() + ")");
            }
            try {
                return decryptWith(jweHeader, parts, backend.directDecrypter(contentKey));
            } catch (JOSEException e) {
                throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.DECRYPT_FAILED,
                        "alg dir answer does not decrypt under the request's content key");
            }
        }
        String kid = header.hasNonNull("kid") ? header.get("kid").asText() : null;
        List<OwnKey> candidates = keys.decryptionCandidates(kid, JWEAlgorithm.parse(alg), now);
        if (candidates.isEmpty()) {
            throw noKey(OpenPhase.DECRYPTION, keys, kid, kid != null && keys.hasOwnKid(kid), "decrypt " + alg);
        }
        for (OwnKey candidate : candidates) {
            try {
                return decryptWith(jweHeader, parts, candidate.decrypter());
            } catch (JOSEException e) {
                // try the next key of the keyset (rotation); the failure is reported once, below
            }
        }
        throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.DECRYPT_FAILED, "no private key of " + keys.id()
                + " decrypts it (" + candidates.size() + " tried): wrong recipient, or tampered key, iv, ciphertext, tag or header");
    }

    /** RFC 7516 5.2 for the compact form: the additional authenticated data is the encoded protected header. */
    private static byte[] decryptWith(JWEHeader header, String[] parts, JWEDecrypter decrypter) throws JOSEException {
        return decrypter.decrypt(header, optionalPart(parts[1]), optionalPart(parts[2]), new JdkBase64Url(parts[3]),
                optionalPart(parts[4]), parts[0].getBytes(StandardCharsets.US_ASCII));
    }

    private static Base64URL optionalPart(String part) {
        return part.isEmpty() ? null : new JdkBase64Url(part);
    }

    /**
     * @param decrypted the JWS came out of a decryption: until it verifies it is unverified content, so its
     *                  header values are not echoed into messages (they end up in dead-letter headers)
     */
    private Opened verify(String token, OpeningPolicy policy, Keyset keys, Instant now, boolean decrypted) throws OpenFailure {
        OpenPhase phase = OpenPhase.SIGNATURE;
        String[] parts = parts(token, 3, "JWS", phase, ReasonCode.MISSING_SIGNATURE);
        JsonNode header = protectedHeader(parts[0], phase, ReasonCode.MISSING_SIGNATURE);
        String alg = text(header, "alg", phase);
        if (!names(policy.signatureAlgorithms()).contains(alg)) {
            throw notAllowed(phase, "JWS alg", decrypted ? null : alg, names(policy.signatureAlgorithms()));
        }
        refuseUnsupportedHeaders(header, phase);
        JWSHeader jwsHeader;
        try {
            jwsHeader = JWSHeader.parse(new JdkBase64Url(parts[0]));
        } catch (ParseException e) {
            throw new OpenFailure(phase, ReasonCode.MISSING_SIGNATURE, "protected header is not a JWS header");
        }
        if (parts[2].isEmpty()) {
            throw new OpenFailure(phase, ReasonCode.MISSING_SIGNATURE, "the JWS has an empty signature");
        }
        byte[] signingInput = (parts[0] + '.' + parts[1]).getBytes(StandardCharsets.US_ASCII);
        Base64URL signature = new JdkBase64Url(parts[2]);
        String kid = jwsHeader.getKeyID();
        List<PeerKey> candidates = keys.verificationCandidates(kid, JWSAlgorithm.parse(alg), now);
        if (candidates.isEmpty()) {
            throw noKey(phase, keys, decrypted ? WITHHELD : kid, kid != null && keys.hasPeerKid(kid),
                    "verify " + (decrypted ? "it" : alg));
        }
        for (PeerKey candidate : candidates) {
            try {
                if (candidate.verifier().verify(jwsHeader, signingInput, signature)) {
                    String verifiedKid = candidate.kid() != null ? candidate.kid() : candidate.info().source();
                    return new Opened(new JdkBase64Url(parts[1]).decode(), verifiedKid);
                }
            } catch (JOSEException e) {
                // an unusable signature for this key is the same as a wrong one: try the next key
            }
        }
        throw new OpenFailure(phase, ReasonCode.BAD_SIGNATURE, "the signature does not verify with any public key of "
                + keys.id() + " (" + candidates.size() + " tried)");
    }

    /** NumericDates compared as whole seconds with saturating sums: a forged extreme can neither overflow nor wrap. */
    private void checkTimes(JsonNode header, Duration maxAge, Instant instant) throws OpenFailure {
        Long exp = numericDate(header, "exp");
        Long iat = numericDate(header, "iat");
        long now = instant.getEpochSecond();
        long skew = clockSkew.getSeconds();
        if (exp != null && now > saturatedAdd(exp, skew)) {
            throw new OpenFailure(OpenPhase.SIGNATURE, ReasonCode.EXPIRED, "answer expired at exp=" + exp + " (now " + now + ")");
        }
        if (iat != null && iat > saturatedAdd(now, skew)) {
            throw new OpenFailure(OpenPhase.SIGNATURE, ReasonCode.EXPIRED, "answer issued in the future, iat=" + iat + " (now " + now + ")");
        }
        if (iat != null && maxAge != null && now > saturatedAdd(saturatedAdd(iat, maxAge.getSeconds()), skew)) {
            throw new OpenFailure(OpenPhase.SIGNATURE, ReasonCode.EXPIRED, "answer issued at iat=" + iat + " is older than " + maxAge);
        }
    }

    private static Long numericDate(JsonNode header, String name) throws OpenFailure {
        JsonNode value = header.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new OpenFailure(OpenPhase.SIGNATURE, ReasonCode.EXPIRED, "header " + name + " is not a NumericDate");
        }
        // Beyond 64-bit seconds only the sign matters (the end or the beginning of time); asLong() would wrap
        // a huge value around to one that looks fresh. RFC 7519 allows fractional seconds: they are floored.
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? value.asLong()
                    : value.bigIntegerValue().signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        double seconds = Math.floor(value.asDouble());
        return seconds >= Long.MAX_VALUE ? Long.MAX_VALUE : seconds <= Long.MIN_VALUE ? Long.MIN_VALUE : (long) seconds;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }

    private static String[] parts(String token, int expected, String kind, OpenPhase phase, ReasonCode reason)
            throws OpenFailure {
        String[] parts = token.split("\\.", -1);
        if (parts.length != expected) {
            throw new OpenFailure(phase, reason, "not a compact " + kind + " (" + parts.length + " parts, expected " + expected + ")");
        }
        for (int i = 0; i < parts.length; i++) {
            if (!isBase64Url(parts[i])) {
                throw new OpenFailure(phase, reason, kind + " part " + (i + 1) + " is not base64url");
            }
        }
        return parts;
    }

    /**
     * Strictly the base64url alphabet, no padding, and a length that can encode whole bytes. Looked up in a
     * table rather than tested by ranges: a fresh token is random text, on which the chain of range tests
     * mispredicted about one branch per character, ~16 µs for a 2.9 KB answer against ~1.5 µs with the table
     * (whose one branch is never taken on a valid part).
     */
    private static boolean isBase64Url(String part) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c >= BASE64URL_ALPHABET.length || !BASE64URL_ALPHABET[c]) {
                return false;
            }
        }
        return part.length() % 4 != 1;
    }

    private static JsonNode protectedHeader(String part, OpenPhase phase, ReasonCode reason) throws OpenFailure {
        try {
            JsonNode header = Json.parseTree(new String(new JdkBase64Url(part).decode(), StandardCharsets.UTF_8));
            if (header.isObject()) {
                return header;
            }
        } catch (Json.MalformedJsonException e) {
            // fall through: the same answer for every kind of unreadable header
        }
        throw new OpenFailure(phase, reason, "protected header is not a JSON object");
    }

    private static String text(JsonNode header, String name, OpenPhase phase) throws OpenFailure {
        JsonNode value = header.get(name);
        if (value == null || !value.isTextual()) {
            throw new OpenFailure(phase, ReasonCode.MALFORMED, "protected header has no " + name);
        }
        return value.asText();
    }

    private static void refuseUnsupportedHeaders(JsonNode header, OpenPhase phase) throws OpenFailure {
        if (header.has("zip")) {
            // Compressed plaintext invites decompression bombs and compression oracles; no profile uses it.
            throw new OpenFailure(phase, ReasonCode.UNSUPPORTED_HEADER, "zip is not accepted");
        }
        if (header.has("crit")) {
            throw new OpenFailure(phase, ReasonCode.UNSUPPORTED_HEADER, "crit parameters are not understood here");
        }
    }

    /** No usable key: none at all, a kid of no key here, or a key whose declared use, ops or alg forbid this. */
    private static OpenFailure noKey(OpenPhase phase, Keyset keys, String kid, boolean kidNamesAKeyForThis, String operation) {
        if (kid == null) {
            return new OpenFailure(phase, ReasonCode.NO_KEY, "keyset " + keys.id() + " has no valid key to " + operation);
        }
        if (kidNamesAKeyForThis) {
            return new OpenFailure(phase, ReasonCode.ALG_NOT_ALLOWED, "key '" + Printable.of(kid) + "' of " + keys.id()
                    + " may not " + operation + " (its use, key_ops, alg or validity forbid it)");
        }
        return new OpenFailure(phase, ReasonCode.UNKNOWN_KID, "kid '" + Printable.of(kid) + "' names no key of " + keys.id()
                + " that could " + operation);
    }

    /** @param value the offending value, or null to withhold it */
    private static OpenFailure notAllowed(OpenPhase phase, String what, String value, Set<String> allowed) {
        return new OpenFailure(phase, ReasonCode.ALG_NOT_ALLOWED, what + (value == null ? " " + WITHHELD : " '" + Printable.of(value) + "'")
                + " is not allowed ("
                + (allowed.isEmpty() ? "none is" : String.join(", ", allowed.stream().sorted().toList())) + ")");
    }

    private static Set<String> names(Set<? extends com.nimbusds.jose.Algorithm> algorithms) {
        return algorithms.stream().map(com.nimbusds.jose.Algorithm::getName).collect(Collectors.toSet());
    }
}
