package io.jps.open;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.DirectEncrypter;
import io.jps.profile.ReasonCode;
import io.jps.record.PaymentResult;
import io.jps.record.ProviderResponse;
import io.jps.sandbox.ProviderCrypto;
import io.jps.seal.Sealed;
import io.jps.support.Engines;
import io.jps.support.Requests;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Wise may answer with {@code alg: dir} under the request's own content key, which the open stage has only as SEAL
 * remembered it: wrapped under the keyset's local cek-wrap.key. Without it, with another request's, another
 * account's or a garbage one, the answer cannot be decrypted: DECRYPT_FAILED.
 */
class WiseDirectAnswerAttackTest {

    private static final String ACCOUNT = "default";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static Bench bench;
    private static ProviderCrypto provider;

    /** A request sealed by us and opened by the provider: its wrapped CEK (ours) and its CEK (the provider's). */
    private record Exchange(String wrappedCek, SecretKey contentKey) {
    }

    private static Exchange request(String account, String requestId) throws Exception {
        Sealed sealed = bench.engine.sealer().seal(Requests.typical("wise", account, requestId));
        SecretKey contentKey = provider.openRequest("wise", account, sealed.request().path(), sealed.request().body()).contentKey();
        assertThat(sealed.wrappedCek()).isNotBlank();
        bench.refusals.forbid(contentKey.getEncoded());
        return new Exchange(sealed.wrappedCek(), contentKey);
    }

    private static String directToken(SecretKey contentKey, EncryptionMethod enc) throws Exception {
        return Forgery.encrypt(new JWEHeader.Builder(JWEAlgorithm.DIR, enc).build(), Forgery.PAYLOAD, new DirectEncrypter(contentKey));
    }

    private static ProviderResponse answer(String account, String token) {
        return Forgery.response("wise", account, 200, token);
    }

    @BeforeAll
    static void start() {
        bench = Bench.start();
        provider = Engines.provider(bench.engine);
    }

    @AfterAll
    static void stop() {
        bench.close();
    }

    @Test
    void genuineDirectAnswerOpensWithItsRequestsWrappedKey() throws Exception {
        Exchange exchange = request(ACCOUNT, "r-dir-ok");
        PaymentResult result = bench.refusals.assertOpens(answer(ACCOUNT, directToken(exchange.contentKey(), EncryptionMethod.A256GCM)),
                exchange.wrappedCek());
        assertThat(result.payload().toString()).contains(Forgery.MARKER);
    }

    @Test
    void rejectsDirectAnswerWithoutWrappedKey() throws Exception {
        Exchange exchange = request(ACCOUNT, "r-dir-none");
        bench.refusals.assertRefused(answer(ACCOUNT, directToken(exchange.contentKey(), EncryptionMethod.A256GCM)), null)
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsDirectAnswerWithTheWrappedKeyOfAnotherRequest() throws Exception {
        Exchange answered = request(ACCOUNT, "r-dir-a");
        Exchange other = request(ACCOUNT, "r-dir-b");
        bench.refusals.assertRefused(answer(ACCOUNT, directToken(answered.contentKey(), EncryptionMethod.A256GCM)), other.wrappedCek())
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsDirectAnswerWithTheWrappedKeyOfAnotherAccount() throws Exception {
        // Wrapped under acme's cek-wrap.key: default's does not unwrap it (AES key wrap checks its integrity).
        Exchange acme = request("acme", "r-dir-acme");
        bench.refusals.assertRefused(answer(ACCOUNT, directToken(acme.contentKey(), EncryptionMethod.A256GCM)), acme.wrappedCek())
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "", "AAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "!!!!", "a b c",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void rejectsDirectAnswerWithAGarbageWrappedKey(String wrapped) throws Exception {
        Exchange exchange = request(ACCOUNT, "r-dir-garbage");
        bench.refusals.assertRefused(answer(ACCOUNT, directToken(exchange.contentKey(), EncryptionMethod.A256GCM)), wrapped)
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsDirectAnswerWithARandomWrappedKeyOfTheRightLength() throws Exception {
        // 40 bytes is the size of a wrapped 256-bit key: only the wrap's integrity check stands in the way.
        byte[] random = new byte[40];
        RANDOM.nextBytes(random);
        Exchange exchange = request(ACCOUNT, "r-dir-random");
        bench.refusals.assertRefused(answer(ACCOUNT, directToken(exchange.contentKey(), EncryptionMethod.A256GCM)), Forgery.b64(random))
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsDirectAnswerUnderAKeyTheAttackerChose() throws Exception {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        Exchange exchange = request(ACCOUNT, "r-dir-chosen");
        bench.refusals.assertRefused(answer(ACCOUNT, directToken(new SecretKeySpec(key, "AES"), EncryptionMethod.A256GCM)),
                        exchange.wrappedCek())
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsTamperedDirectAnswer() throws Exception {
        Exchange exchange = request(ACCOUNT, "r-dir-tampered");
        String token = directToken(exchange.contentKey(), EncryptionMethod.A256GCM);
        String tampered = Forgery.withPart(token, 4, Forgery.flipBit(Forgery.parts(token)[4], 0));
        bench.refusals.assertRefused(answer(ACCOUNT, tampered), exchange.wrappedCek())
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsDirectAnswerCarryingAnEncryptedKey() throws Exception {
        // dir means "no encrypted key"; one smuggled in is refused rather than ignored.
        Exchange exchange = request(ACCOUNT, "r-dir-ek");
        String token = directToken(exchange.contentKey(), EncryptionMethod.A256GCM);
        String withKey = Forgery.withPart(token, 1, Forgery.parts(bench.forge.answer("wise", ACCOUNT).token())[1]);
        bench.refusals.assertRefused(answer(ACCOUNT, withKey), exchange.wrappedCek())
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsDirectAnswerWithAnotherContentEncryption() throws Exception {
        Exchange exchange = request(ACCOUNT, "r-dir-enc");
        byte[] half = Arrays.copyOf(exchange.contentKey().getEncoded(), 16);
        bench.refusals.assertRefused(answer(ACCOUNT, directToken(new SecretKeySpec(half, "AES"), EncryptionMethod.A128GCM)),
                        exchange.wrappedCek())
                .with(ReasonCode.ALG_NOT_ALLOWED, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsDirectAnswerForAnAccountWithoutWrapKey() throws Exception {
        // Juspay keysets have no cek-wrap.key (and juspay does not allow dir): no path to a content key at all.
        Exchange exchange = request(ACCOUNT, "r-dir-juspay");
        String token = directToken(exchange.contentKey(), EncryptionMethod.A256GCM);
        bench.refusals.assertRefused(Forgery.response("juspay", ACCOUNT, 200, "{\"JWT\":\"" + token + "\"}"), exchange.wrappedCek())
                .with(ReasonCode.ALG_NOT_ALLOWED, OpenPhase.DECRYPTION);
    }

    @Test
    void opensGenuineRsaAnswerEvenWithAGarbageWrappedKey() throws Exception {
        // The wrapped key concerns dir answers only; a key-transport answer does not need it, so a damaged
        // remembered key must not turn a genuine answer into a dead letter.
        PaymentResult result = bench.refusals.assertOpens(bench.forge.answer("wise", ACCOUNT).response(), "garbage");
        assertThat(result.outcome()).isEqualTo(PaymentResult.Outcome.SUCCEEDED);
    }
}
