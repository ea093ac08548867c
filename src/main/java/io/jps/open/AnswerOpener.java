package io.jps.open;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.jps.keys.CekWrap;
import io.jps.keys.KeyRing;
import io.jps.keys.Keyset;
import io.jps.keys.KeysetLookup;
import io.jps.profile.AnswerOpening;
import io.jps.profile.Operation;
import io.jps.profile.Printable;
import io.jps.profile.ProviderProfile;
import io.jps.profile.ReasonCode;
import io.jps.profile.WireForms;
import io.jps.record.Json;
import io.jps.record.PaymentResult.Outcome;
import io.jps.record.PaymentResult.Verification;
import io.jps.record.PaymentResult;
import io.jps.record.ProviderResponse;
import io.jps.record.SentRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * Turns a provider's answer into a verified {@link PaymentResult}, or an {@link OpenFailure} with the
 * reason. Keys come only from the keyset of the provider and account the request was sent to. An
 * unsealed JSON body is accepted only where the profile says so: on a 4xx/5xx status as a provider-reported
 * error, or for a provider whose answers are plain JSON; such a result says {@code verification: tls}.
 */
public final class AnswerOpener {

    private final Map<String, ProviderProfile> profiles;
    private final KeyRing keyRing;
    private final JoseOpener jose;
    private final Clock clock;
    private final int maxAnswerBytes;

    public AnswerOpener(Map<String, ProviderProfile> profiles, KeyRing keyRing, JoseOpener jose, Clock clock,
                        int maxAnswerBytes) {
        this.profiles = Map.copyOf(profiles);
        this.keyRing = keyRing;
        this.jose = jose;
        this.clock = clock;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    /**
     * Opens {@code response} as the answer to {@code sent}: with the profile, keyset and content key of the request
     * we sent, never with what the response record claims. Times are judged against the moment the answer was
     * received ({@code respondedAt}), so a backlog does not expire a genuine answer.
     */
    public PaymentResult open(ProviderResponse response, SentRequest sent) throws OpenFailure {
        ProviderProfile profile = sent.provider() == null ? null : profiles.get(sent.provider());
        if (profile == null) {
            throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.UNKNOWN_PROVIDER,
                    "no profile for provider '" + Printable.of(sent.provider()) + "'");
        }
        AnswerOpening opening = profile.open();
        String body = response.body() == null ? "" : response.body();
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxAnswerBytes) {
            throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.OVERSIZED,
                    "answer of " + bytes + " bytes exceeds limits.maxAnswerBytes=" + maxAnswerBytes);
        }
        boolean success = response.httpStatus() >= 200 && response.httpStatus() < 300;

        if (body.isBlank()) {
            if (opening.emptyBodies() || (!success && opening.plainErrors())) {
                return result(response, sent, success, null, null, Verification.TLS);
            }
            throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.MALFORMED, "empty answer body");
        }
        if (!opening.wireForm().isSealed() || answersPlain(profile, sent)) {
            return result(response, sent, success, plainJson(body, success), null, Verification.TLS);
        }
        String token;
        try {
            token = WireForms.unwrap(body, opening.wireForm(), opening.envelopeField());
        } catch (WireForms.NotInWireForm e) {
            if (!success && opening.plainErrors()) {
                return result(response, sent, false, plainJson(body, false), null, Verification.TLS);
            }
            throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.MALFORMED, e.getMessage() + " (HTTP "
                    + response.httpStatus() + ", " + opening.wireForm().wireName() + " expected)");
        }
        Keyset keyset = keyset(sent);
        Opened opened = jose.open(token, OpeningPolicy.forAnswers(opening), keyset, () -> directKey(keyset, sent.wrappedCek()),
                Instant.ofEpochMilli(response.respondedAt()));
        return result(response, sent, success, verifiedJson(opened.plaintext()), opened.verifiedKid(), Verification.JOSE);
    }

    /** An operation whose answers are plain JSON by design (Juspay's {@code txn}), as the request we sent says. */
    private static boolean answersPlain(ProviderProfile profile, SentRequest sent) {
        return sent.operation() != null
                && profile.operation(sent.operation()).map(op -> op.answer() == Operation.Answer.PLAIN).orElse(false);
    }

    private Keyset keyset(SentRequest sent) throws OpenFailure {
        KeysetLookup lookup = keyRing.lookup(sent.provider(), sent.account());
        if (lookup instanceof KeysetLookup.Found found) {
            return found.keyset();
        }
        if (lookup instanceof KeysetLookup.Broken broken) {
            throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.NO_KEY,
                    "keyset " + broken.id() + " cannot be loaded: " + broken.problem());
        }
        throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.UNKNOWN_ACCOUNT, "no keyset for provider '"
                + Printable.of(sent.provider()) + "' and account '" + Printable.of(sent.account()) + "'");
    }

    private static SecretKey directKey(Keyset keyset, String wrappedCek) throws OpenFailure {
        if (wrappedCek == null || keyset.cekWrapKey().isEmpty()) {
            return null;
        }
        try {
            return CekWrap.unwrap(keyset.cekWrapKey().get(), wrappedCek);
        } catch (GeneralSecurityException e) {
            throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.DECRYPT_FAILED,
                    "the wrapped content key does not unwrap under cek-wrap.key of " + keyset.id());
        }
    }

    /** A verified answer that is not JSON is still the provider's word: it is kept as a JSON string. */
    private static JsonNode verifiedJson(byte[] plaintext) throws OpenFailure {
        String text;
        try {
            text = Json.strictUtf8(plaintext);
        } catch (Json.MalformedJsonException e) {
            throw new OpenFailure(OpenPhase.SIGNATURE, ReasonCode.MALFORMED, "verified answer is not UTF-8 text");
        }
        if (text.isBlank()) {
            return null;
        }
        try {
            return Json.parseTree(text);
        } catch (Json.MalformedJsonException e) {
            return TextNode.valueOf(text);
        }
    }

    private static JsonNode plainJson(String body, boolean success) throws OpenFailure {
        try {
            return Json.parseTree(body);
        } catch (Json.MalformedJsonException e) {
            if (success) {
                throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.MALFORMED, "answer is " + e.getMessage());
            }
            return TextNode.valueOf(body);
        }
    }

    private PaymentResult result(ProviderResponse response, SentRequest sent, boolean success, JsonNode payload,
                                 String verifiedKid, Verification verification) {
        return new PaymentResult(response.requestId(), sent.provider(), sent.account(),
                success ? Outcome.SUCCEEDED : Outcome.PROVIDER_ERROR, response.httpStatus(), payload, verifiedKid, verification,
                response.attempts(), sent.sealedAt(), response.dispatchedAt(), response.respondedAt(), clock.millis());
    }
}
