package io.jps.open;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.util.Base64URL;
import io.jps.engine.Engine;
import io.jps.keys.KeyRing;
import io.jps.keys.Keyset;
import io.jps.keys.KeysetLayout;
import io.jps.keys.KeysetLoader;
import io.jps.keys.OwnKey;
import io.jps.keys.PeerKey;
import io.jps.profile.AnswerOpening;
import io.jps.profile.WireForm;
import io.jps.profile.WireForms;
import io.jps.record.Json;
import io.jps.record.ProviderResponse;
import io.jps.support.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds provider answers the way an attacker (or a misbehaving provider) would: with the real keys of the
 * sandbox side ({@code sandbox-keys/}) and real Nimbus cryptography, but with every header, key, signer and
 * part open to change. An untouched {@link Answer} is a genuine answer that opens; each attack changes one
 * thing, so the refusal it provokes is attributable to that one thing.
 */
final class Forgery {

    /** Put in every answer's payload: no failure message may ever contain it (or its base64url). */
    static final String MARKER = "PLAINTEXT-MARKER-7f3a";

    static final byte[] PAYLOAD = ("{\"status\":\"SUCCESS\",\"refund\":{\"id\":\"rf_9\",\"amount\":\"10.00\",\"note\":\""
            + MARKER + "\"}}").getBytes(StandardCharsets.UTF_8);

    static final String REQUEST_ID = "r-attack-1";

    private final Engine engine;
    private final KeyRing sandbox;

    Forgery(Engine engine) {
        this.engine = engine;
        this.sandbox = new KeyRing(TestKeys.sandboxKeys(), new KeysetLoader(engine.backend(), KeysetLayout.SANDBOX, Map.of(), engine.config().providers()),
                Duration.ofSeconds(1), engine.clock());
    }

    Instant now() {
        return engine.clock().instant();
    }

    /** Our keyset (what the opener uses). */
    Keyset ours(String provider, String account) {
        return engine.keyRing().lookup(provider, account).found().orElseThrow();
    }

    /** The provider's side of the keyset: its private key, and our public key. */
    Keyset theirs(String provider, String account) {
        return sandbox.lookup(provider, account).found().orElseThrow();
    }

    OwnKey providerKey(String provider, String account) {
        return theirs(provider, account).signingKey(null, now()).orElseThrow();
    }

    PeerKey merchantKey(String provider, String account) {
        return theirs(provider, account).encryptionKey(null, now()).orElseThrow();
    }

    AnswerOpening opening(String provider) {
        return engine.config().providers().get(provider).open();
    }

    Answer answer(String provider, String account) {
        return new Answer(provider, account);
    }

    /** A genuine answer body from the provider to {@code provider}/{@code account}. */
    String genuineBody(String provider, String account) {
        return answer(provider, account).body();
    }

    /** The body of an answer in the wire form of {@code provider}'s answers. */
    String wire(String provider, String token) {
        AnswerOpening opening = opening(provider);
        if (opening.wireForm() == WireForm.ENVELOPE) {
            // Socure puts its evaluation id beside the token.
            Map<String, String> body = new LinkedHashMap<>();
            body.put("eval_id", "123456-abcdef-123456");
            body.put(opening.envelopeField(), token);
            return Json.write(body);
        }
        return WireForms.wrap(token, opening.wireForm(), opening.envelopeField());
    }

    /** As the dispatcher would record it: received now (the fixed {@link Bench#NOW}), sent a little before. */
    static ProviderResponse response(String provider, String account, int status, String body) {
        long receivedAt = Bench.NOW.toEpochMilli();
        return new ProviderResponse(REQUEST_ID, provider, account, status, Map.of(), body, 1, receivedAt - 800, receivedAt);
    }

    /** A Juspay body with exactly these fields (JSON string values), in this order. */
    static String juspayFields(String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return Json.write(fields);
    }

    static String[] parts(String token) {
        return token.split("\\.", -1);
    }

    static String withPart(String token, int index, String part) {
        String[] parts = parts(token);
        parts[index] = part;
        return String.join(".", parts);
    }

    /** Flips the lowest bit of one decoded byte of a part (negative index: from the end). */
    static String flipBit(String part, int byteIndex) {
        byte[] bytes = new Base64URL(part).decode();
        int i = byteIndex >= 0 ? byteIndex : bytes.length + byteIndex;
        bytes[i] ^= 1;
        return Base64URL.encode(bytes).toString();
    }

    static String b64(String text) {
        return Base64URL.encode(text.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String b64(byte[] bytes) {
        return Base64URL.encode(bytes).toString();
    }

    static String decodedHeader(String token) {
        return new Base64URL(parts(token)[0]).decodeToString();
    }

    static ObjectNode headerObject(String token) {
        try {
            return (ObjectNode) Json.parseTree(decodedHeader(token));
        } catch (Json.MalformedJsonException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A compact JWS assembled by hand, for headers Nimbus refuses to build (alg none). */
    static String rawJws(String headerJson, byte[] payload, String signaturePart) {
        return b64(headerJson) + "." + b64(payload) + "." + signaturePart;
    }

    static String sign(JWSHeader header, byte[] payload, JWSSigner signer) {
        try {
            JWSObject jws = new JWSObject(header, new Payload(payload));
            jws.sign(signer);
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String encrypt(JWEHeader header, byte[] plaintext, JWEEncrypter encrypter) {
        try {
            JWEObject jwe = new JWEObject(header, new Payload(plaintext));
            jwe.encrypt(encrypter);
            return jwe.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One answer under construction. Defaults are what the provider really sends: for signing profiles a JWS
     * RS256 with the provider key's kid, inside a JWE RSA-OAEP-256 + A256GCM to our key with our key's kid
     * ({@code cty: JWT} when nested, {@code iat} where the profile honours expiry, as Juspay does).
     */
    final class Answer {

        private final String provider;
        private final String account;
        private final boolean signs;
        private byte[] payload = PAYLOAD;
        private JWSHeader.Builder jws;
        private JWSSigner signer;
        private String content;
        private JWEHeader.Builder jwe;
        private JWEEncrypter encrypter;

        private Answer(String provider, String account) {
            this.provider = provider;
            this.account = account;
            this.signs = opening(provider).verifies();
            OwnKey providerKey = providerKey(provider, account);
            this.jws = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(providerKey.kid());
            this.signer = providerKey.signer();
            this.jwe = jweHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM);
            this.encrypter = new RSAEncrypter(merchantKey(provider, account).publicKey());
        }

        /** A fresh JWE header as this provider would write it, with another alg/enc. */
        JWEHeader.Builder jweHeader(JWEAlgorithm alg, EncryptionMethod enc) {
            JWEHeader.Builder header = new JWEHeader.Builder(alg, enc).keyID(merchantKey(provider, account).kid());
            if (signs) {
                header.contentType("JWT");
            }
            if (opening(provider).honourExpiry()) {
                header.customParam("iat", now().getEpochSecond());
            }
            return header;
        }

        Answer payload(byte[] newPayload) {
            this.payload = newPayload;
            return this;
        }

        Answer jws(Consumer<JWSHeader.Builder> change) {
            change.accept(jws);
            return this;
        }

        Answer jws(JWSHeader.Builder replacement) {
            this.jws = replacement;
            return this;
        }

        Answer signedWith(JWSSigner newSigner) {
            this.signer = newSigner;
            return this;
        }

        /** Encrypts exactly this content instead of the signed JWS (or the payload). */
        Answer content(String newContent) {
            this.content = newContent;
            return this;
        }

        Answer jwe(Consumer<JWEHeader.Builder> change) {
            change.accept(jwe);
            return this;
        }

        Answer jwe(JWEHeader.Builder replacement) {
            this.jwe = replacement;
            return this;
        }

        Answer encryptedWith(JWEEncrypter newEncrypter) {
            this.encrypter = newEncrypter;
            return this;
        }

        /** The nested JWS (for a signing profile). */
        String signed() {
            return sign(jws.build(), payload, signer);
        }

        String token() {
            String inner = content != null ? content : signs ? signed() : new String(payload, StandardCharsets.UTF_8);
            return encrypt(jwe.build(), inner.getBytes(StandardCharsets.UTF_8), encrypter);
        }

        String body() {
            return wire(provider, token());
        }

        ProviderResponse response() {
            return Forgery.response(provider, account, 200, body());
        }
    }
}
