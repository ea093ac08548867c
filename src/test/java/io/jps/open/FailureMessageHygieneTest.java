package io.jps.open;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jps.keys.OwnKey;
import io.jps.profile.ReasonCode;
import io.jps.support.TestKeys;
import java.nio.file.Files;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every refusal in the attack suite passes through {@link Refusals#assertClean}: no plaintext of the answer, no
 * key material in the message that becomes {@code jps.error.message}. These tests make sure that check would
 * notice a leak, so that its silence elsewhere means something.
 */
class FailureMessageHygieneTest {

    private static Bench bench;

    @BeforeAll
    static void start() {
        bench = Bench.start();
    }

    @AfterAll
    static void stop() {
        bench.close();
    }

    private static OpenFailure failure(String message) {
        return new OpenFailure(OpenPhase.SIGNATURE, ReasonCode.BAD_SIGNATURE, message);
    }

    @Test
    void noticesThePlaintextMarker() {
        assertThatThrownBy(() -> bench.refusals.assertClean(failure("payload was " + Forgery.MARKER)))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void noticesThePayloadAsItAppearsInsideAJws() {
        String payloadPart = Forgery.parts(bench.forge.answer("juspay", "default").signed())[1];
        assertThatThrownBy(() -> bench.refusals.assertClean(failure("JWS payload " + payloadPart)))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void noticesPemText() throws Exception {
        String pem = Files.readString(TestKeys.keys().resolve("juspay/default/provider-public.pem"));
        assertThatThrownBy(() -> bench.refusals.assertClean(failure("key: " + pem.lines().findFirst().orElseThrow())))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void noticesAnySliceOfAPrivateKey() {
        for (String provider : new String[] {"juspay", "socure"}) {
            OwnKey ours = bench.forge.ours(provider, "default").signingKey(null, Bench.NOW).orElseThrow();
            OwnKey theirs = bench.forge.providerKey(provider, "acme");
            for (OwnKey key : new OwnKey[] {ours, theirs}) {
                String encoded = Base64.getEncoder().encodeToString(key.decrypter().getPrivateKey().getEncoded());
                String slice = encoded.substring(600, 620);
                assertThatThrownBy(() -> bench.refusals.assertClean(failure("(" + slice + ")"))).isInstanceOf(AssertionError.class);
            }
        }
    }

    @Test
    void noticesTheCekWrapKey() {
        byte[] wrapKey = bench.forge.ours("wise", "default").cekWrapKey().orElseThrow().getEncoded();
        String encoded = Base64.getEncoder().encodeToString(wrapKey);
        assertThatThrownBy(() -> bench.refusals.assertClean(failure("wrap key " + encoded))).isInstanceOf(AssertionError.class);
    }

    @Test
    void letsKidsAndKeysetNamesThrough() {
        // What the messages legitimately name: public key ids and the keyset.
        String kid = bench.forge.providerKey("juspay", "default").kid();
        assertThatCode(() -> bench.refusals.assertClean(failure("JWS kid '" + kid + "' names no public key of juspay/default")))
                .doesNotThrowAnyException();
    }
}
