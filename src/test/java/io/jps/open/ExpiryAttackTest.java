package io.jps.open;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWEHeader;
import io.jps.profile.ReasonCode;
import io.jps.record.PaymentResult;
import io.jps.record.ProviderResponse;
import java.math.BigInteger;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Juspay puts {@code iat} and {@code exp} (often {@code null}) in the JWE protected header, where AES-GCM
 * authenticates them; the profile honours them with the configured skew (60 s). A stale or post-dated answer
 * is EXPIRED in the signature phase (it was decrypted and verified, but is not acceptable now). The clock is
 * fixed at {@link Bench#NOW}.
 */
class ExpiryAttackTest {

    private static final String ACCOUNT = "default";
    private static final long NOW = Bench.NOW.getEpochSecond();
    /** Without juspay's open.maxAge, to try exp and iat alone. */
    private static Bench bench;
    /** As shipped: juspay's open.maxAge is PT5M. */
    private static Bench aged;

    @BeforeAll
    static void start() {
        bench = Bench.start("providers:\n  juspay:\n    open: {maxAge: null}\n");
        aged = Bench.start();
    }

    @AfterAll
    static void stop() {
        bench.close();
        aged.close();
    }

    private static ProviderResponse juspay(Consumer<JWEHeader.Builder> times) {
        return bench.forge.answer("juspay", ACCOUNT).jwe(times).response();
    }

    private static PaymentResult opens(ProviderResponse response) throws OpenFailure {
        PaymentResult result = bench.refusals.assertOpens(response);
        assertThat(result.outcome()).isEqualTo(PaymentResult.Outcome.SUCCEEDED);
        assertThat(result.payload().toString()).contains(Forgery.MARKER);
        return result;
    }

    @Test
    void opensAnswerWithNullExpAsInTheSeedSample() throws Exception {
        String token = bench.forge.answer("juspay", ACCOUNT).jwe(h -> h.customParam("exp", null)).token();
        assertThat(Forgery.decodedHeader(token)).contains("\"exp\":null").contains("\"iat\":" + NOW);
        opens(Forgery.response("juspay", ACCOUNT, 200, bench.forge.wire("juspay", token)));
    }

    @Test
    void rejectsAnswerExpiredBeyondTheSkew() {
        bench.refusals.assertRefused(juspay(h -> h.customParam("iat", NOW - 600).customParam("exp", NOW - 61)))
                .with(ReasonCode.EXPIRED, OpenPhase.SIGNATURE);
    }

    @Test
    void opensAnswerExpiredWithinTheSkew() throws Exception {
        opens(juspay(h -> h.customParam("iat", NOW - 600).customParam("exp", NOW - 59)));
    }

    @Test
    void opensAnswerExpiringExactlyAtTheEndOfTheSkew() throws Exception {
        opens(juspay(h -> h.customParam("exp", NOW - 60)));
    }

    @Test
    void rejectsAnswerIssuedInTheFutureBeyondTheSkew() {
        bench.refusals.assertRefused(juspay(h -> h.customParam("iat", NOW + 61)))
                .with(ReasonCode.EXPIRED, OpenPhase.SIGNATURE);
    }

    @Test
    void opensAnswerIssuedInTheFutureWithinTheSkew() throws Exception {
        opens(juspay(h -> h.customParam("iat", NOW + 59)));
    }

    @Test
    void rejectsExpThatIsNotANumericDate() {
        // An answer that cannot show it is still valid is not accepted as valid.
        bench.refusals.assertRefused(juspay(h -> h.customParam("exp", "2099-01-01T00:00:00Z")))
                .with(ReasonCode.EXPIRED, OpenPhase.SIGNATURE);
        bench.refusals.assertRefused(juspay(h -> h.customParam("iat", true)))
                .with(ReasonCode.EXPIRED, OpenPhase.SIGNATURE);
    }

    @Test
    void checksTheSignatureBeforeTheTimes() {
        // A forged answer is reported as forged, not as merely stale.
        bench.refusals.assertRefused(bench.forge.answer("juspay", ACCOUNT).jwe(h -> h.customParam("exp", NOW - 3600))
                        .signedWith(bench.forge.providerKey("juspay", "acme").signer()).response())
                .with(ReasonCode.BAD_SIGNATURE, OpenPhase.SIGNATURE);
    }

    @Test
    void ignoresTimesOfProvidersThatDoNotSendThem() throws Exception {
        // honourExpiry is Juspay's alone; a Socure or Wise header member named exp means nothing to us.
        for (String provider : new String[] {"socure", "wise"}) {
            PaymentResult result = bench.refusals.assertOpens(bench.forge.answer(provider, ACCOUNT)
                    .jwe(h -> h.customParam("exp", NOW - 3600)).response());
            assertThat(result.outcome()).isEqualTo(PaymentResult.Outcome.SUCCEEDED);
        }
    }

    @Test
    void rejectsAnswerOlderThanTheConfiguredMaxAge() throws Exception {
        aged.refusals.assertRefused(aged.forge.answer("juspay", ACCOUNT).jwe(h -> h.customParam("iat", NOW - 5 * 60 - 61)).response())
                .with(ReasonCode.EXPIRED, OpenPhase.SIGNATURE);
        assertThat(aged.refusals.assertOpens(aged.forge.answer("juspay", ACCOUNT)
                .jwe(h -> h.customParam("iat", NOW - 5 * 60 - 59)).response()).outcome())
                .isEqualTo(PaymentResult.Outcome.SUCCEEDED);
    }

    // NumericDates beyond what java.time.Instant holds: a provider bug or a hostile provider must still get a
    // verdict (an OpenFailure or a result), never an exception that stops the stream thread.

    @Test
    void rejectsAnswerIssuedAtTheEndOfTime() {
        bench.refusals.assertRefused(juspay(h -> h.customParam("iat", Long.MAX_VALUE)))
                .with(ReasonCode.EXPIRED, OpenPhase.SIGNATURE);
    }

    @Test
    void rejectsAnswerExpiredAtTheBeginningOfTime() {
        bench.refusals.assertRefused(juspay(h -> h.customParam("exp", Long.MIN_VALUE)))
                .with(ReasonCode.EXPIRED, OpenPhase.SIGNATURE);
    }

    @Test
    void opensAnswerThatExpiresInTheFarFuture() throws Exception {
        opens(juspay(h -> h.customParam("exp", 1e300)));
    }

    @Test
    void opensAnswerThatExpiresAtTheLastRepresentableInstant() throws Exception {
        opens(juspay(h -> h.customParam("exp", Instant.MAX.getEpochSecond())));
    }

    @Test
    void rejectsAnswerWhoseExpOnlyLooksFreshModulo2To64() {
        BigInteger exp = BigInteger.valueOf(NOW + 3600).subtract(BigInteger.ONE.shiftLeft(64));
        bench.refusals.assertRefused(juspay(h -> h.customParam("exp", exp)))
                .with(ReasonCode.EXPIRED, OpenPhase.SIGNATURE);
    }
}
