package io.jps.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import io.jps.config.ConfigLoader;
import io.jps.keys.Keyset;
import io.jps.open.JoseOpener;
import io.jps.open.OpenFailure;
import io.jps.open.OpenPhase;
import io.jps.open.Opened;
import io.jps.open.OpeningPolicy;
import io.jps.profile.ProviderProfile;
import io.jps.profile.ReasonCode;
import io.jps.vectors.Vectors.Case;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Project Wycheproof's JWE cases for RSA: the OAEP-256 groups must give Wycheproof's verdict, and the
 * built-in profiles (OAEP only, A256GCM only) must refuse PKCS#1 v1.5 key transport and any other
 * content encryption before any cryptography is attempted.
 */
class WycheproofJweTest {

    private static final JsonNode FILE = Vectors.resource("wycheproof/json_web_encryption_test.json");
    private static final Map<String, ProviderProfile> PROFILES = ConfigLoader.defaults().providers();
    private static final JoseOpener OPENER = Vectors.opener(Vectors.AUTO);
    private static final Set<String> OAEP_256_GROUPS = Set.of("jwe_rsa_oaep_256", "jwe_rsa_oaep_modified");

    /** RSA-OAEP-256 with every enc a JWE library may be asked for, so the verdict rests on the alg alone. */
    private static final OpeningPolicy OAEP_256_ANY_ENC = new OpeningPolicy(
            Set.of(JWEAlgorithm.RSA_OAEP_256),
            Set.of(EncryptionMethod.A128GCM, EncryptionMethod.A192GCM, EncryptionMethod.A256GCM,
                    EncryptionMethod.A128CBC_HS256, EncryptionMethod.A192CBC_HS384, EncryptionMethod.A256CBC_HS512),
            Set.of(), false, null);

    @TempDir
    Path keys;

    private final Map<Integer, Keyset> keysets = new HashMap<>();

    @TestFactory
    Stream<DynamicTest> everyRsaOaep256CaseGivesWycheproofsVerdict() {
        List<Case> cases = Vectors.cases(FILE, group -> OAEP_256_GROUPS.contains(group.get("comment").asText()));
        assertThat(cases).as("the selected groups exist in the vector file").isNotEmpty();
        assertThat(cases).extracting(Case::result).contains("valid", "invalid");

        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Keyset keyset = keysetOf(c);
            String jwe = Vectors.token(c.test().get("jwe"));
            switch (c.result()) {
                case "valid" -> {
                    Opened opened = OPENER.open(jwe, OAEP_256_ANY_ENC, keyset, null, Instant.now());
                    assertThat(opened.plaintext()).isEqualTo(Vectors.hex(c.test().get("pt").asText()));
                    assertThat(opened.verifiedKid()).isNull();
                }
                case "invalid" -> {
                    OpenFailure failure = catchThrowableOfType(OpenFailure.class, () -> OPENER.open(jwe, OAEP_256_ANY_ENC, keyset, null, Instant.now()));
                    assertThat(failure).as("Wycheproof says %s must be refused", c.name()).isNotNull();
                    // Every invalid case of these groups is PKCS#1 v1.5 key transport against an OAEP key: the
                    // allow-list must catch it before RSA runs (no padding oracle to probe).
                    assertThat(Vectors.headerText(jwe, "alg")).contains("RSA1_5");
                    assertThat(failure.reason()).isEqualTo(ReasonCode.ALG_NOT_ALLOWED);
                    assertThat(failure.phase()).isEqualTo(OpenPhase.DECRYPTION);
                }
                default -> throw new AssertionError("unexpected Wycheproof result '" + c.result() + "' in " + c.name());
            }
        }));
    }

    @TestFactory
    Stream<DynamicContainer> rejectsRsa15UnderEveryOaepProfile() {
        List<Case> cases = Vectors.cases(FILE, group -> group.get("comment").asText().equals("jwe_rsa1_5"));
        assertThat(cases).as("the jwe_rsa1_5 groups exist in the vector file").isNotEmpty();

        return Stream.of("juspay", "socure", "wise").map(provider -> DynamicContainer.dynamicContainer(provider,
                cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    // Even the cases Wycheproof calls valid (a well-formed RSA1_5 token) must be refused: our
                    // profiles speak OAEP only, and a v1.5 decryption attempt is a Bleichenbacher oracle.
                    String jwe = Vectors.token(c.test().get("jwe"));
                    OpenFailure failure = catchThrowableOfType(OpenFailure.class,
                            () -> OPENER.open(jwe, answerPolicy(provider), keysetOf(c), null, Instant.now()));

                    assertThat(failure).as("%s under the %s profile", c.name(), provider).isNotNull();
                    assertThat(failure.reason()).isEqualTo(ReasonCode.ALG_NOT_ALLOWED);
                    assertThat(failure.phase()).isEqualTo(OpenPhase.DECRYPTION);
                    assertThat(failure.getMessage()).contains("JWE alg 'RSA1_5'");
                }))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure", "wise"})
    void refusesTheValidA128GcmCaseBecauseTheProfilesAllowOnlyA256Gcm(String provider) throws Exception {
        // Given Wycheproof's valid RSA-OAEP-256 tokens whose content encryption is A128GCM
        List<Case> a128 = validOaep256Cases(EncryptionMethod.A128GCM);
        assertThat(a128).isNotEmpty();

        for (Case c : a128) {
            // When opened under the real profile
            OpenFailure failure = catchThrowableOfType(OpenFailure.class,
                    () -> OPENER.open(Vectors.token(c.test().get("jwe")), answerPolicy(provider), keysetOf(c), null, Instant.now()));

            // Then the alg passes and the enc is what is refused
            assertThat(failure).as("%s under the %s profile", c.name(), provider).isNotNull();
            assertThat(failure.reason()).isEqualTo(ReasonCode.ALG_NOT_ALLOWED);
            assertThat(failure.getMessage()).contains("JWE enc 'A128GCM'");
        }
    }

    @Test
    void opensTheValidA256GcmCaseUnderTheWiseProfile() throws Exception {
        // Wise's answers are a bare JWE, so the Wycheproof plaintext is the whole answer.
        for (Case c : a256GcmCases()) {
            Opened opened = OPENER.open(Vectors.token(c.test().get("jwe")), answerPolicy("wise"), keysetOf(c), null, Instant.now());

            assertThat(opened.plaintext()).as(c.name()).isEqualTo(Vectors.hex(c.test().get("pt").asText()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "socure"})
    void decryptsTheValidA256GcmCaseButThenDemandsTheNestedSignature(String provider) throws Exception {
        // Juspay and Socure sign inside the encryption; Wycheproof's plaintext ("foo") is no JWS. Failing in
        // the SIGNATURE phase shows the token got through the allow-list and decrypted.
        for (Case c : a256GcmCases()) {
            OpenFailure failure = catchThrowableOfType(OpenFailure.class,
                    () -> OPENER.open(Vectors.token(c.test().get("jwe")), answerPolicy(provider), keysetOf(c), null, Instant.now()));

            assertThat(failure).as("%s under the %s profile", c.name(), provider).isNotNull();
            assertThat(failure.phase()).isEqualTo(OpenPhase.SIGNATURE);
            assertThat(failure.reason()).isEqualTo(ReasonCode.MISSING_SIGNATURE);
        }
    }

    private static OpeningPolicy answerPolicy(String provider) {
        return OpeningPolicy.forAnswers(PROFILES.get(provider).open());
    }

    private List<Case> a256GcmCases() {
        List<Case> cases = validOaep256Cases(EncryptionMethod.A256GCM);
        assertThat(cases).isNotEmpty();
        return cases;
    }

    private static List<Case> validOaep256Cases(EncryptionMethod enc) {
        return Vectors.cases(FILE, group -> OAEP_256_GROUPS.contains(group.get("comment").asText())).stream()
                .filter(c -> c.result().equals("valid"))
                .filter(c -> Vectors.headerText(Vectors.token(c.test().get("jwe")), "alg").orElse("").equals("RSA-OAEP-256"))
                .filter(c -> Vectors.headerText(Vectors.token(c.test().get("jwe")), "enc").orElse("").equals(enc.getName()))
                .toList();
    }

    /** The group's private JWK as our keyset: the token's recipient is us. */
    private Keyset keysetOf(Case c) {
        return keysets.computeIfAbsent(c.groupIndex(), i -> Vectors.keyset(keys.resolve("group-" + i), Vectors.AUTO,
                c.group().get("comment").asText(), c.group().get("private")));
    }
}
