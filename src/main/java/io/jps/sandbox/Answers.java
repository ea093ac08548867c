package io.jps.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import io.jps.open.OpenFailure;
import io.jps.profile.AnswerOpening;
import io.jps.profile.ProviderProfile;
import io.jps.profile.WireForms;
import io.jps.record.Json;
import io.jps.sandbox.FaultPlan.Decision;
import io.jps.sandbox.FaultPlan.Fault;
import io.jps.sandbox.ProviderCrypto.AnswerMode;
import io.jps.sandbox.RequestChecks.Accepted;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The answer to a request that passed the provider's checks: sealed as the provider seals it, echoing the request so
 * that a test can follow it end to end, or bent by a fault. Faults that leave no answer at all (a hang, a closed
 * connection) are the server's to play.
 */
final class Answers {

    private static final String NOT_JOSE_PAGE = "<!DOCTYPE html>\n<html><head><title>Scheduled maintenance</title></head>"
            + "<body><h1>We will be back shortly.</h1></body></html>\n";

    private final ProviderCrypto crypto;
    private final Duration retryAfter;
    private final JWSSigner impostor;

    /** @param impostor the key that signs WRONG_SIGNER answers; null when that fault is never drawn */
    Answers(ProviderCrypto crypto, Duration retryAfter, JWSSigner impostor) {
        this.crypto = crypto;
        this.retryAfter = retryAfter;
        this.impostor = impostor;
    }

    /**
     * The decision's faults that mean something for this answer: an unsealed answer (the profile's, or a plain answer
     * of an operation that is answered so) cannot be tampered, nor an unsigned one forged.
     */
    static Set<Fault> applicable(Decision decision, ProviderProfile profile, boolean plain) {
        Set<Fault> faults = decision.faults().isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(decision.faults());
        if (plain || !profile.open().wireForm().isSealed()) {
            faults.remove(Fault.TAMPERED);
        }
        if (plain || !profile.open().verifies()) {
            faults.remove(Fault.WRONG_SIGNER);
        }
        return faults;
    }

    /**
     * Whether to answer with {@code alg: dir}: the plan says so, the profile takes such answers, the request had a key,
     * the answer is sealed at all, and no fault replaces the sealed answer or its signature.
     */
    static boolean direct(Decision decision, Set<Fault> faults, ProviderProfile profile, Accepted accepted, boolean plain) {
        return !plain && decision.directAnswer() && profile.open().directEncryption() && accepted.contentKey() != null
                && Collections.disjoint(faults, EnumSet.of(Fault.SERVER_ERROR, Fault.RATE_LIMITED, Fault.NOT_JOSE, Fault.WRONG_SIGNER));
    }

    /**
     * @param plain     the operation is answered in plain JSON by design (Juspay's {@code txn})
     * @param reference the provider's id of this request (Socure's {@code eval_id})
     */
    Reply answer(ProviderProfile profile, ProviderDialect dialect, IncomingRequest request, Accepted accepted,
                 Set<Fault> faults, boolean direct, boolean plain, String idempotencyKey, String reference)
            throws JOSEException, OpenFailure {
        if (faults.contains(Fault.SERVER_ERROR)) {
            return dialect.serverError(reference);
        }
        if (faults.contains(Fault.RATE_LIMITED)) {
            return dialect.rateLimited(reference, retryAfter);
        }
        if (faults.contains(Fault.NOT_JOSE)) {
            return new Reply(200, Map.of(Reply.CONTENT_TYPE, "text/html; charset=utf-8"), NOT_JOSE_PAGE);
        }
        ObjectNode echo = echo(request, accepted, idempotencyKey);
        if (plain) {
            return Reply.json(200, dialect.plainAnswer(request, echo, reference));
        }
        byte[] payload = Json.writeBytes(echo);
        String body = faults.contains(Fault.WRONG_SIGNER)
                ? crypto.sealForgedAnswer(profile.name(), accepted.account(), payload, impostor)
                : crypto.sealAnswer(profile.name(), accepted.account(), payload, direct ? AnswerMode.DIRECT : AnswerMode.NORMAL,
                accepted.contentKey());
        if (faults.contains(Fault.TAMPERED)) {
            body = tampered(body, profile.open());
        }
        return new Reply(200, Map.of(Reply.CONTENT_TYPE, contentType(profile)), dialect.answerBody(body, request, reference));
    }

    private static ObjectNode echo(IncomingRequest request, Accepted accepted, String idempotencyKey) {
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("status", "SUCCESS");
        answer.set("echo", payload(accepted.payload()));
        answer.put("method", request.method());
        answer.put("path", request.path());
        answer.put("idempotencyKey", idempotencyKey);
        return answer;
    }

    private static JsonNode payload(byte[] payload) {
        if (payload == null) {
            return NullNode.getInstance();
        }
        try {
            return Json.parseTree(Json.strictUtf8(payload));
        } catch (Json.MalformedJsonException e) {
            return TextNode.valueOf(new String(payload, StandardCharsets.UTF_8));
        }
    }

    /** One character in the middle of the ciphertext changed: the GCM tag no longer matches. */
    private static String tampered(String body, AnswerOpening opening) {
        String token;
        try {
            token = WireForms.unwrap(body, opening.wireForm(), opening.envelopeField());
        } catch (WireForms.NotInWireForm e) {
            throw new IllegalStateException("the sandbox's own answer is not in its wire form", e);
        }
        String[] parts = token.split("\\.", -1);
        String ciphertext = parts[3];
        int at = ciphertext.length() / 2;
        parts[3] = ciphertext.substring(0, at) + (ciphertext.charAt(at) == 'A' ? 'B' : 'A') + ciphertext.substring(at + 1);
        return WireForms.wrap(String.join(".", parts), opening.wireForm(), opening.envelopeField());
    }

    /** Answers come in the media type the provider asks requests in (Wise: application/jose+json). */
    private static String contentType(ProviderProfile profile) {
        return profile.headers().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(Reply.CONTENT_TYPE))
                .map(Map.Entry::getValue).findFirst().orElse("application/json");
    }
}
