package io.jps.open;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import io.jps.keys.OwnKey;
import io.jps.profile.ReasonCode;
import io.jps.record.PaymentRequest;
import io.jps.record.ProviderResponse;
import io.jps.seal.Sealed;
import io.jps.support.Requests;
import io.jps.support.TestKeys;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Answers encrypted to, or signed by, a key that is not the one of the provider and account the request went
 * to: another account's, another provider's, an attacker's own (named by kid, embedded as jwk, pointed to by
 * jku, carried as x5c). Keys are chosen by kid only within the record's keyset, so a kid naming any other key
 * is UNKNOWN_KID, and a foreign key hiding behind a genuine kid (or no kid) fails the cryptography itself.
 */
class ForeignKeyAttackTest {

    private static final String ACCOUNT = "default";
    private static Bench bench;
    private static KeyPair attacker;

    @BeforeAll
    static void start() throws Exception {
        bench = Bench.start();
        attacker = bench.engine.backend().generateRsaKeyPair(2048);
    }

    @AfterAll
    static void stop() {
        bench.close();
    }

    private static RSAPublicKey attackerPublic() {
        return (RSAPublicKey) attacker.getPublic();
    }

    private static String kid(String provider, String account) {
        return bench.forge.merchantKey(provider, account).kid();
    }

    // ---- encrypted to the wrong recipient -------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsAnswerEncryptedToAnotherAccountsKeyUnderThatKeysKid(String provider) {
        // The kid names acme's key pair, which is not in default's keyset: refused before any decryption.
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT)
                        .encryptedWith(new RSAEncrypter(bench.forge.merchantKey(provider, "acme").publicKey()))
                        .jwe(h -> h.keyID(kid(provider, "acme")))
                        .response())
                .with(ReasonCode.UNKNOWN_KID, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsAnswerEncryptedToAnotherAccountsKeyUnderOurKid(String provider) {
        // Our kid selects our key, which cannot unwrap a content key encrypted to acme's.
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT)
                        .encryptedWith(new RSAEncrypter(bench.forge.merchantKey(provider, "acme").publicKey()))
                        .response())
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsAnswerEncryptedToAFreshKeyWithoutKid(String provider) {
        // Without a kid every key of the keyset is tried; none is the recipient.
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT)
                        .encryptedWith(new RSAEncrypter(attackerPublic()))
                        .jwe(h -> h.keyID(null))
                        .response())
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsAnswerEncryptedToAFreshKeyUnderItsOwnKid(String provider) {
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT)
                        .encryptedWith(new RSAEncrypter(attackerPublic()))
                        .jwe(h -> h.keyID("attacker-key"))
                        .response())
                .with(ReasonCode.UNKNOWN_KID, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsJweKidNamingNoKeyEvenWhenEncryptedToOurKey(String provider) {
        // Correctly encrypted, but the kid names nothing here: a kid is never ignored, nor "corrected".
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT)
                        .jwe(h -> h.keyID("key_00000000000000000000000000000000"))
                        .response())
                .with(ReasonCode.UNKNOWN_KID, OpenPhase.DECRYPTION);
    }

    @Test
    void emptyKidIsNotAWildcard() {
        bench.refusals.assertRefused(bench.forge.answer("juspay", ACCOUNT).jwe(h -> h.keyID("")).response())
                .with(ReasonCode.UNKNOWN_KID, OpenPhase.DECRYPTION);
    }

    // ---- signed by the wrong key ---------------------------------------------------------------------------

    static Stream<Arguments> victimsAndForeignProviders() {
        return Stream.of(Arguments.of("juspay", "socure"), Arguments.of("socure", "juspay"));
    }

    @ParameterizedTest
    @MethodSource("victimsAndForeignProviders")
    void rejectsAnswerSignedByAnotherProvidersKeyUnderThatKeysKid(String provider, String foreign) {
        OwnKey foreignKey = bench.forge.providerKey(foreign, ACCOUNT);
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT)
                        .jws(h -> h.keyID(foreignKey.kid())).signedWith(foreignKey.signer()).response())
                .with(ReasonCode.UNKNOWN_KID, OpenPhase.SIGNATURE);
    }

    @ParameterizedTest
    @MethodSource("victimsAndForeignProviders")
    void rejectsAnswerSignedByAnotherProvidersKeyUnderTheGenuineKid(String provider, String foreign) {
        // The kid is copied from the legitimate provider key; the signature then has to stand on its own.
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT)
                        .signedWith(bench.forge.providerKey(foreign, ACCOUNT).signer()).response())
                .with(ReasonCode.BAD_SIGNATURE, OpenPhase.SIGNATURE);
    }

    @ParameterizedTest
    @MethodSource("victimsAndForeignProviders")
    void rejectsAnswerSignedByAnotherProvidersKeyWithoutKid(String provider, String foreign) {
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT)
                        .jws(h -> h.keyID(null)).signedWith(bench.forge.providerKey(foreign, ACCOUNT).signer()).response())
                .with(ReasonCode.BAD_SIGNATURE, OpenPhase.SIGNATURE);
    }

    @Test
    void juspayKeysetsShareOneKidBetweenTheirTwoKeyPairsAndAccountsDoNot() throws Exception {
        // Why the cross-account juspay attacks below end as they do: acme's provider key carries acme's one
        // "key UUID", which default's keyset does not know.
        Path sandbox = TestKeys.sandboxKeys().resolve("juspay");
        Path ours = TestKeys.keys().resolve("juspay");
        for (String account : TestKeys.ACCOUNTS) {
            String providerKid = Files.readString(sandbox.resolve(account).resolve("provider-private.kid")).trim();
            assertThat(Files.readString(ours.resolve(account).resolve("merchant-private.kid")).trim()).isEqualTo(providerKid);
            assertThat(Files.readString(ours.resolve(account).resolve("provider-public.kid")).trim()).isEqualTo(providerKid);
            assertThat(bench.forge.providerKey("juspay", account).kid()).isEqualTo(providerKid);
        }
        assertThat(bench.forge.providerKey("juspay", "acme").kid()).isNotEqualTo(bench.forge.providerKey("juspay", ACCOUNT).kid());
    }

    @Test
    void rejectsJuspayAnswerSignedByAnotherAccountsProviderKeyUnderThatKeysKid() {
        OwnKey acme = bench.forge.providerKey("juspay", "acme");
        bench.refusals.assertRefused(bench.forge.answer("juspay", ACCOUNT)
                        .jws(h -> h.keyID(acme.kid())).signedWith(acme.signer()).response())
                .with(ReasonCode.UNKNOWN_KID, OpenPhase.SIGNATURE);
    }

    @Test
    void rejectsJuspayAnswerSignedByAnotherAccountsProviderKeyUnderOurAccountsKid() {
        bench.refusals.assertRefused(bench.forge.answer("juspay", ACCOUNT)
                        .signedWith(bench.forge.providerKey("juspay", "acme").signer()).response())
                .with(ReasonCode.BAD_SIGNATURE, OpenPhase.SIGNATURE);
    }

    @Test
    void rejectsSocureAnswerSignedByAnotherAccountsProviderKey() {
        OwnKey acme = bench.forge.providerKey("socure", "acme");
        bench.refusals.assertRefused(bench.forge.answer("socure", ACCOUNT)
                        .jws(h -> h.keyID(acme.kid())).signedWith(acme.signer()).response())
                .with(ReasonCode.UNKNOWN_KID, OpenPhase.SIGNATURE);
        bench.refusals.assertRefused(bench.forge.answer("socure", ACCOUNT).signedWith(acme.signer()).response())
                .with(ReasonCode.BAD_SIGNATURE, OpenPhase.SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsJwsKidNamingNoKey(String provider) {
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT).jws(h -> h.keyID("no-such-key")).response())
                .with(ReasonCode.UNKNOWN_KID, OpenPhase.SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void rejectsAnswerSignedWithOurOwnMerchantKey(String provider) throws Exception {
        // Only the provider's public keys verify answers; for juspay our key pair even shares the provider's kid.
        // (The attacker cannot hold our private key; this checks the roles are not mixed up.)
        OwnKey ours = bench.forge.ours(provider, ACCOUNT).signingKey(null, Bench.NOW).orElseThrow();
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT).signedWith(ours.signer()).response())
                .with(ReasonCode.BAD_SIGNATURE, OpenPhase.SIGNATURE);
    }

    enum KidChoice { NONE, GENUINE, ATTACKERS }

    private static JWSHeader.Builder attackerHeader(String provider, KidChoice kid) {
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256);
        return switch (kid) {
            case NONE -> header;
            case GENUINE -> header.keyID(bench.forge.providerKey(provider, ACCOUNT).kid());
            case ATTACKERS -> header.keyID("attacker-key");
        };
    }

    private static ReasonCode expectedFor(KidChoice kid) {
        return kid == KidChoice.ATTACKERS ? ReasonCode.UNKNOWN_KID : ReasonCode.BAD_SIGNATURE;
    }

    static Stream<Arguments> signingProvidersAndKidChoices() {
        return Stream.of("juspay", "socure").flatMap(p -> Stream.of(KidChoice.values()).map(k -> Arguments.of(p, k)));
    }

    @ParameterizedTest
    @MethodSource("signingProvidersAndKidChoices")
    void rejectsAttackersKeyEmbeddedAsJwk(String provider, KidChoice kid) {
        // The header brings its own verification key; trusting it would let anyone sign anything.
        RSAKey jwk = new RSAKey.Builder(attackerPublic()).keyID("attacker-key").build();
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT)
                        .jws(attackerHeader(provider, kid).jwk(jwk)).signedWith(new RSASSASigner(attacker.getPrivate()))
                        .response())
                .with(expectedFor(kid), OpenPhase.SIGNATURE);
    }

    @ParameterizedTest
    @MethodSource("signingProvidersAndKidChoices")
    void rejectsAttackersKeyReferencedByJku(String provider, KidChoice kid) {
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT)
                        .jws(attackerHeader(provider, kid).jwkURL(URI.create("https://attacker.example/jwks.json")))
                        .signedWith(new RSASSASigner(attacker.getPrivate())).response())
                .with(expectedFor(kid), OpenPhase.SIGNATURE);
    }

    @ParameterizedTest
    @MethodSource("signingProvidersAndKidChoices")
    void rejectsAttackersCertificateCarriedAsX5c(String provider, KidChoice kid) throws Exception {
        // Socure's key comes as an X.509 certificate; a certificate in the header is still not that certificate.
        X500Name name = new X500Name("CN=" + provider + " sandbox");
        byte[] certificate = new JcaX509v3CertificateBuilder(name, BigInteger.TEN, Date.from(Bench.NOW.minus(Duration.ofDays(1))),
                Date.from(Bench.NOW.plus(Duration.ofDays(365))), name, attacker.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(attacker.getPrivate())).getEncoded();
        bench.refusals.assertRefused(bench.forge.answer(provider, ACCOUNT)
                        .jws(attackerHeader(provider, kid).x509CertChain(List.of(Base64.encode(certificate))))
                        .signedWith(new RSASSASigner(attacker.getPrivate())).response())
                .with(expectedFor(kid), OpenPhase.SIGNATURE);
    }

    // ---- a genuine answer presented for another request's provider or account -----------------------------

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure"})
    void rejectsGenuineAnswerReplayedAsAnotherAccount(String provider) {
        // Keys come from the record's provider and account, never from the answer: acme's keyset does not know
        // the kid of default's key pair.
        String body = bench.forge.genuineBody(provider, ACCOUNT);
        bench.refusals.assertRefused(Forgery.response(provider, "acme", 200, body))
                .with(ReasonCode.UNKNOWN_KID, OpenPhase.DECRYPTION);
    }

    static Stream<Arguments> answerProvidersAndClaimedProviders() {
        return Stream.of(Arguments.of("juspay", "socure"), Arguments.of("socure", "juspay"), Arguments.of("wise", "juspay"),
                Arguments.of("juspay", "wise"));
    }

    @ParameterizedTest
    @MethodSource("answerProvidersAndClaimedProviders")
    void rejectsGenuineTokenRewrappedAsAnotherProvidersAnswer(String provider, String claimed) {
        String token = bench.forge.answer(provider, ACCOUNT).token();
        bench.refusals.assertRefused(Forgery.response(claimed, ACCOUNT, 200, bench.forge.wire(claimed, token)))
                .with(ReasonCode.UNKNOWN_KID, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../acme", "default/../acme", "..", ".", "default\u0000", "DEFAULT/", "", "-default"})
    void rejectsAccountThatIsNotAPlainName(String account) {
        // Never a path out of keys/<provider>/: the name itself is refused.
        bench.refusals.assertRefused(Forgery.response("juspay", account, 200, bench.forge.genuineBody("juspay", ACCOUNT)))
                .with(ReasonCode.UNKNOWN_ACCOUNT, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsAnswerForAnAccountWithoutKeyset() {
        bench.refusals.assertRefused(Forgery.response("juspay", "nobody", 200, bench.forge.genuineBody("juspay", ACCOUNT)))
                .with(ReasonCode.UNKNOWN_ACCOUNT, OpenPhase.DECRYPTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil", "../juspay", "JUSPAY"})
    void rejectsAnswerForAProviderWithoutProfile(String provider) {
        bench.refusals.assertRefused(Forgery.response(provider, ACCOUNT, 200, bench.forge.genuineBody("juspay", ACCOUNT)))
                .with(ReasonCode.UNKNOWN_PROVIDER, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsAnswerWithoutAccount() {
        bench.refusals.assertRefused(Forgery.response("juspay", null, 200, bench.forge.genuineBody("juspay", ACCOUNT)))
                .with(ReasonCode.UNKNOWN_ACCOUNT, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsAnswerWithoutProvider() {
        // A response record that lost its provider field: refused like any unknown provider.
        bench.refusals.assertRefused(Forgery.response(null, ACCOUNT, 200, bench.forge.genuineBody("juspay", ACCOUNT)))
                .with(ReasonCode.UNKNOWN_PROVIDER, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsOurOwnJuspayRequestReflectedAsTheAnswer() throws Exception {
        // Juspay requests and answers share wire form and kid; the request is encrypted to the provider's key.
        Sealed sealed = bench.engine.sealer().seal(Requests.typical("juspay", ACCOUNT, "r-reflect"));
        bench.refusals.assertRefused(Forgery.response("juspay", ACCOUNT, 200, sealed.request().body()))
                .with(ReasonCode.DECRYPT_FAILED, OpenPhase.DECRYPTION);
    }

    @Test
    void rejectsOurOwnWiseRequestReflectedAsTheAnswer() throws Exception {
        // Wise requests name the provider's key, which is not one of ours.
        PaymentRequest request = Requests.typical("wise", ACCOUNT, "r-reflect");
        Sealed sealed = bench.engine.sealer().seal(request);
        ProviderResponse reflected = Forgery.response("wise", ACCOUNT, 200, sealed.request().body());
        bench.refusals.assertRefused(reflected, sealed.wrappedCek()).with(ReasonCode.UNKNOWN_KID, OpenPhase.DECRYPTION);
    }
}
