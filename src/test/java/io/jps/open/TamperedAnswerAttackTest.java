package io.jps.open;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jps.profile.ReasonCode;
import io.jps.record.Json;
import io.jps.record.PaymentResult;
import io.jps.record.ProviderResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A genuine answer changed in transit, one part at a time. AES-GCM authenticates the iv, the ciphertext and
 * the protected header (as additional data) under the tag, and RSA-OAEP rejects a changed encrypted key, so
 * every such change must end in DECRYPT_FAILED, never in a result, whichever part was touched.
 */
class TamperedAnswerAttackTest {

    private static final String ACCOUNT = "default";
    private static Bench bench;

    @BeforeAll
    static void start() {
        bench = Bench.start();
    }

    @AfterAll
    static void stop() {
        bench.close();
    }

    private static ProviderResponse tampered(String provider, UnaryOperator<String> tamper) {
        String token = bench.forge.answer(provider, ACCOUNT).token();
        String changed = tamper.apply(token);
        assertThat(changed).as("the tampering changed the token").isNotEqualTo(token);
        return Forgery.response(provider, ACCOUNT, 200, bench.forge.wire(provider, changed));
    }

    private static UnaryOperator<String> part(int index, UnaryOperator<String> change) {
        return token -> Forgery.withPart(token, index, change.apply(Forgery.parts(token)[index]));
    }

    private static UnaryOperator<String> header(UnaryOperator<String> change) {
        return token -> Forgery.withPart(token, 0, Forgery.b64(change.apply(Forgery.decodedHeader(token))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void untamperedAnswerOpens(String provider) throws Exception {
        // The baseline every attack in this class starts from: without it a refusal would prove nothing.
        PaymentResult result = bench.refusals.assertOpens(bench.forge.answer(provider, ACCOUNT).response());
        assertThat(result.outcome()).isEqualTo(PaymentResult.Outcome.SUCCEEDED);
        assertThat(result.payload().toString()).contains(Forgery.MARKER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsTamperedTag(String provider) {
        bench.refusals.assertRefused(tampered(provider, part(4, tag -> Forgery.flipBit(tag, 7))))
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsTamperedIv(String provider) {
        bench.refusals.assertRefused(tampered(provider, part(2, iv -> Forgery.flipBit(iv, 0))))
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsTamperedCiphertext(String provider) {
        bench.refusals.assertRefused(tampered(provider, part(3, ciphertext -> Forgery.flipBit(ciphertext, 20))))
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsTamperedEncryptedKey(String provider) {
        bench.refusals.assertRefused(tampered(provider, part(1, key -> Forgery.flipBit(key, -1))))
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsHeaderWithAFlippedBit(String provider) {
        // 'd' -> 'e': the header is still JSON with an allowed alg and enc, and no longer names a key, so every
        // key is tried; only the tag (which covers the header) can tell.
        bench.refusals.assertRefused(tampered(provider, header(json -> json.replace("\"kid\"", "\"kie\""))))
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsHeaderWithAFlippedBitInItsContentType(String provider) {
        // 'T' -> 'U' in cty: a value nothing checks before decryption.
        bench.refusals.assertRefused(tampered(provider, header(json -> json.replace("\"JWT\"", "\"JWU\""))))
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsHeaderReencodedWithAnExtraMember(String provider) {
        bench.refusals.assertRefused(tampered(provider, header(json -> {
            ObjectNode object = parse(json);
            object.put("x-extra", "1");
            return Json.write(object);
        }))).with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsHeaderReencodedWithTheSameMembersInAnotherOrder(String provider) {
        // The same JSON object, other bytes: the additional data is the encoded header, not its meaning.
        bench.refusals.assertRefused(tampered(provider, header(json -> {
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>(parse(json).properties());
            Collections.reverse(members);
            Map<String, JsonNode> reordered = new LinkedHashMap<>();
            members.forEach(member -> reordered.put(member.getKey(), member.getValue()));
            return Json.write(reordered);
        }))).with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsJuspayAnswerWhoseIatWasMovedForward() {
        // An attacker freshening a stale answer: iat sits in the authenticated header.
        bench.refusals.assertRefused(tampered("juspay", header(json -> {
            ObjectNode object = parse(json);
            object.put("iat", object.get("iat").asLong() + 3600);
            return Json.write(object);
        }))).with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsHeaderThatNoLongerParsesAfterABitFlip(String provider) {
        // "eyJ" -> "fyJ": the first byte is no longer '{'; nothing is decrypted at all.
        bench.refusals.assertRefused(tampered(provider, part(0, header -> "f" + header.substring(1))))
                .with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsHeaderWithADuplicateAlg(String provider) {
        // Two parsers that disagree on which alg wins would let RSA1_5 past the allow-list: duplicates are refused.
        bench.refusals.assertRefused(tampered(provider, header(json -> json.replaceFirst("\\{", "{\"alg\":\"RSA1_5\","))))
                .with(ReasonCode.MALFORMED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsCiphertextSplicedIntoAnotherAnswersHeaderKeyAndIv(String provider) {
        String other = bench.forge.answer(provider, ACCOUNT).token();
        bench.refusals.assertRefused(tampered(provider, token -> {
            String[] parts = Forgery.parts(token);
            String[] donor = Forgery.parts(other);
            return String.join(".", parts[0], parts[1], parts[2], donor[3], donor[4]);
        })).with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsEncryptedKeySplicedFromAnotherAnswer(String provider) {
        String other = bench.forge.answer(provider, ACCOUNT).token();
        bench.refusals.assertRefused(tampered(provider, token -> Forgery.withPart(token, 1, Forgery.parts(other)[1])))
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsTagCutShort(String provider) {
        // 22 characters (16 bytes) cut to 11 (8 bytes): still base64url, still five parts; a truncated tag
        // is a tampered tag, refused by the AEAD and not by a length rule that could be forgotten.
        bench.refusals.assertRefused(tampered(provider, part(4, tag -> tag.substring(0, 11))))
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void rejectsAnswerWithAnEmptiedPart(int index) {
        // The encrypted key, iv, ciphertext or tag removed (a JWE with alg dir has an empty key; this one may not).
        bench.refusals.assertRefused(tampered("juspay", part(index, any -> "")))
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) Json.parseTree(json);
        } catch (Json.MalformedJsonException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
