package io.jps.open;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.util.Base64URL;
import io.jps.profile.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Correctly encrypted to us (anyone can do that: our public key is public), but the nested JWS is missing,
 * stripped, changed or borrowed. For a signing profile the JWE proves nothing about the sender; only the
 * signature does, so each of these must fail in the signature phase.
 */
class SignatureAttackTest {

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

    private static OpenFailure refusedWithNested(String provider, String nested, ReasonCode reason) {
        return bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT).content(nested).response())
                .with(reason, OpenPhase.SIGNATURE);
    }

    private static String changedJws(String provider, int part, UnaryOperator<String> change) {
        String signed = bench.forge.answer(provider, ACCOUNT).signed();
        return Forgery.withPart(signed, part, change.apply(Forgery.parts(signed)[part]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsAnswerWhoseSignatureWasStripped(String provider) {
        // The bare payload where the JWS belongs: what Wise-style JWE-only answers look like, not ours.
        refusedWithNested(provider, new String(Forgery.PAYLOAD, StandardCharsets.UTF_8), ReasonCode.MISSING_SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsUnsignedJweNestedInPlaceOfTheJws(String provider) {
        // Five parts inside: another layer of encryption proves no more than the first.
        String inner = Forgery.encrypt(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM).build(),
                Forgery.PAYLOAD, new RSAEncrypter(bench.forge.merchantKey(provider, ACCOUNT).publicKey()));
        refusedWithNested(provider, inner, ReasonCode.MISSING_SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsNestedJwsWithoutItsSignaturePart(String provider) {
        String signed = bench.forge.answer(provider, ACCOUNT).signed();
        refusedWithNested(provider, signed.substring(0, signed.lastIndexOf('.')), ReasonCode.MISSING_SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsNestedJwsWithNonBase64urlPart(String provider) {
        refusedWithNested(provider, changedJws(provider, 2, signature -> signature.replace('-', '+').replace('_', '/') + "=="),
                ReasonCode.MISSING_SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsNestedJwsWithItsSignatureEmptied(String provider) {
        // Three parts and an RS256 header, but nothing to verify: the signature is missing, not merely wrong
        // (Nimbus will not even parse a JWS without one).
        refusedWithNested(provider, changedJws(provider, 2, signature -> ""), ReasonCode.MISSING_SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsNestedJwsWithATamperedSignature(String provider) {
        refusedWithNested(provider, changedJws(provider, 2, signature -> Forgery.flipBit(signature, 100)), ReasonCode.BAD_SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsNestedJwsWhosePayloadWasReplaced(String provider) {
        // The amount changed after signing, then re-encrypted to us: the attack JWE-only answers cannot stop.
        String forged = new String(Forgery.PAYLOAD, StandardCharsets.UTF_8).replace("10.00", "99999.00");
        refusedWithNested(provider, changedJws(provider, 1, payload -> Forgery.b64(forged)), ReasonCode.BAD_SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsNestedJwsWhoseHeaderWasChangedAfterSigning(String provider) {
        refusedWithNested(provider, changedJws(provider, 0, header -> {
            String json = new Base64URL(header).decodeToString();
            return Forgery.b64(json.replaceFirst("\\{", "{\"typ\":\"JOSE\","));
        }), ReasonCode.BAD_SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsSignatureTransplantedFromAnotherAnswer(String provider) {
        String donor = bench.forge.answer(provider, ACCOUNT)
                .payload("{\"status\":\"PENDING\"}".getBytes(StandardCharsets.UTF_8)).signed();
        refusedWithNested(provider, changedJws(provider, 2, signature -> Forgery.parts(donor)[2]), ReasonCode.BAD_SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsGenuineJwsOfAnotherAccountReencryptedToUs(String provider) {
        // A JWS genuinely signed by the provider, but for acme, re-encrypted to default: signatures are per account.
        String acmeSigned = bench.forge.answer(provider, "acme").signed();
        refusedWithNested(provider, acmeSigned, ReasonCode.UNKNOWN_KID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void refusesVerifiedAnswerThatIsNotUtf8InTheSignaturePhase(String provider) {
        // Genuinely signed, but not text: refused, and as a signature-phase (already decrypted) failure.
        byte[] notUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT).payload(notUtf8).response())
                .with(ReasonCode.MALFORMED, OpenPhase.SIGNATURE);
    }
}
