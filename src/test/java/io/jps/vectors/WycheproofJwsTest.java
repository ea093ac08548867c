package io.jps.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import io.jps.keys.Keyset;
import io.jps.open.JoseOpener;
import io.jps.open.OpenFailure;
import io.jps.open.OpenPhase;
import io.jps.open.Opened;
import io.jps.open.OpeningPolicy;
import io.jps.profile.ReasonCode;
import io.jps.vectors.Vectors.Case;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Project Wycheproof's JWS cases for RS256, the signature inside every Juspay and Socure answer, run
 * through the opener with a signature-only policy and the group's public JWK as the provider's key.
 */
class WycheproofJwsTest {

    private static final JsonNode FILE = Vectors.resource("wycheproof/json_web_signature_test.json");
    private static final JoseOpener OPENER = Vectors.opener(Vectors.AUTO);
    private static final OpeningPolicy RS256_ONLY = new OpeningPolicy(Set.of(), Set.of(), Set.of(JWSAlgorithm.RS256), false, null);

    @TempDir
    Path keys;

    @TestFactory
    Stream<DynamicContainer> everyCaseOfTheRs256GroupsGivesWycheproofsVerdict() {
        List<Case> cases = Vectors.cases(FILE, WycheproofJwsTest::hasAnRs256Case);
        assertThat(cases).extracting(Case::result).contains("valid", "invalid");
        Map<Integer, List<Case>> byGroup = cases.stream()
                .collect(Collectors.groupingBy(Case::groupIndex, TreeMap::new, Collectors.toList()));

        return byGroup.values().stream().map(groupCases -> {
            JsonNode group = groupCases.get(0).group();
            JsonNode publicJwk = group.get("public");
            // The JWK keeps its kid: every valid case names it, so kid selection finds the key. The one case
            // that changes the kid (rejectsModifiedHeader) is then refused as UNKNOWN_KID; without a kid on the
            // key it would fall back to the key and be refused as BAD_SIGNATURE. Either way it is refused.
            Keyset keyset = Vectors.keyset(keys.resolve("group-" + groupCases.get(0).groupIndex()), Vectors.AUTO,
                    group.get("comment").asText(), publicJwk);
            String title = "group " + group.get("comment").asText() + " (key " + describe(publicJwk) + ")";
            return DynamicContainer.dynamicContainer(title, groupCases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                assertVerdict(c, keyset, publicJwk);
            })));
        });
    }

    @Test
    void refusesAnRs256SignatureByAKeyWhoseJwkAlgIsPs512() {
        // Given Wycheproof's UsingRS256: a genuine RS256 signature by a key whose JWK says alg: PS512
        Case c = onlyCase(332);

        OpenFailure failure = catchThrowableOfType(OpenFailure.class, () -> open(c, keysetOf(c)));

        // Then the key may not verify RS256, and the refusal says so
        assertThat(failure).as("a key declared for PS512 must not verify RS256").isNotNull();
        assertThat(failure.phase()).isEqualTo(OpenPhase.SIGNATURE);
        assertThat(failure.reason()).isEqualTo(ReasonCode.ALG_NOT_ALLOWED);
    }

    @Test
    void refusesASignatureByAKeyWhoseKeyOpsAllowOnlyEncryption() {
        Case c = onlyCase(355);

        OpenFailure failure = catchThrowableOfType(OpenFailure.class, () -> open(c, keysetOf(c)));

        assertThat(failure).as("a key whose key_ops are [encrypt] must not verify signatures").isNotNull();
        assertThat(failure.phase()).isEqualTo(OpenPhase.SIGNATURE);
        assertThat(failure.reason()).isEqualTo(ReasonCode.ALG_NOT_ALLOWED);
    }

    @Test
    void refusesASignatureByAKeyWhoseUseIsEncryption() {
        // Given Wycheproof's rejectWrongUse: a correct RS256 signature, but the only key says use: enc
        Case c = onlyCase(353);
        assertThat(c.group().at("/public/use").asText()).isEqualTo("enc");

        // When it is opened
        OpenFailure failure = catchThrowableOfType(OpenFailure.class, () -> open(c, keysetOf(c)));

        // Then the kid names a key of the keyset, but one that may not verify
        assertThat(failure).isNotNull();
        assertThat(failure.reason()).isEqualTo(ReasonCode.ALG_NOT_ALLOWED);
    }

    private void assertVerdict(Case c, Keyset keyset, JsonNode publicJwk) throws OpenFailure {
        Optional<ReasonCode> refusal = expectedRefusal(c, publicJwk);
        if (refusal.isEmpty()) {
            Opened opened = open(c, keyset);
            String payload = Vectors.token(c.test().get("jws")).split("\\.", -1)[1];
            assertThat(opened.plaintext()).isEqualTo(Vectors.base64Url(payload));
            assertThat(opened.verifiedKid()).isEqualTo(publicJwk.get("kid").asText());
        } else {
            OpenFailure failure = catchThrowableOfType(OpenFailure.class, () -> open(c, keyset));
            assertThat(failure).as("%s must be refused", c.name()).isNotNull();
            assertThat(failure.phase()).isEqualTo(OpenPhase.SIGNATURE);
            assertThat(failure.reason()).as(failure.toString()).isEqualTo(refusal.get());
        }
    }

    /**
     * What the opener must answer, from the case alone: empty when it must open. Wycheproof gives valid or
     * invalid; the reason code is our contract on top of it, checked in the order the opener checks.
     */
    private static Optional<ReasonCode> expectedRefusal(Case c, JsonNode publicJwk) {
        String jws = Vectors.token(c.test().get("jws"));
        Optional<JsonNode> header = Vectors.protectedHeader(jws);
        String[] parts = jws.split("\\.", -1);
        if (parts.length != 3 || header.isEmpty()) {
            return Optional.of(ReasonCode.MISSING_SIGNATURE);
        }
        Optional<String> alg = Vectors.headerText(jws, "alg");
        if (alg.isEmpty()) {
            return Optional.of(ReasonCode.MALFORMED);
        }
        if (!alg.get().equals("RS256")) {
            // Whatever Wycheproof says (PS512 cases are valid for a PS512 verifier): our policy is RS256 only.
            return Optional.of(ReasonCode.ALG_NOT_ALLOWED);
        }
        if (c.result().equals("valid")) {
            return Optional.empty();
        }
        if (parts[2].isEmpty()) {
            // rejectsMissingSignature: "header.payload." is no signed JWS at all, not a wrong signature
            return Optional.of(ReasonCode.MISSING_SIGNATURE);
        }
        if (c.result().equals("acceptable")) {
            throw new AssertionError("no RS256 case is 'acceptable' in this vector file; decide what " + c.name() + " means");
        }
        Optional<String> kid = Vectors.headerText(jws, "kid");
        if (kid.isPresent() && !kid.get().equals(publicJwk.path("kid").asText(null))) {
            return Optional.of(ReasonCode.UNKNOWN_KID);
        }
        if (!mayVerifyRs256(publicJwk)) {
            // The key's own JWK (use, key_ops, alg) forbids this: the kid names it, but it is not for this.
            return Optional.of(kid.isPresent() ? ReasonCode.ALG_NOT_ALLOWED : ReasonCode.NO_KEY);
        }
        return Optional.of(ReasonCode.BAD_SIGNATURE);
    }

    private static boolean mayVerifyRs256(JsonNode jwk) {
        boolean use = !jwk.has("use") || jwk.get("use").asText().equals("sig");
        boolean operations = !jwk.has("key_ops") || jwk.get("key_ops").toString().contains("\"verify\"");
        boolean algorithm = !jwk.has("alg") || jwk.get("alg").asText().equals("RS256");
        return use && operations && algorithm;
    }

    private static boolean hasAnRs256Case(JsonNode group) {
        for (JsonNode test : group.get("tests")) {
            if (test.get("jws").isTextual() && Vectors.headerText(test.get("jws").asText(), "alg").orElse("").equals("RS256")) {
                return true;
            }
        }
        return false;
    }

    private static Opened open(Case c, Keyset keyset) throws OpenFailure {
        return OPENER.open(Vectors.token(c.test().get("jws")), RS256_ONLY, keyset, null, Instant.now());
    }

    private Keyset keysetOf(Case c) {
        return Vectors.keyset(keys.resolve("tc-" + c.tcId()), Vectors.AUTO, c.group().get("comment").asText(), c.group().get("public"));
    }

    private static Case onlyCase(int tcId) {
        List<Case> found = Vectors.cases(FILE, g -> true).stream().filter(c -> c.tcId() == tcId).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static String describe(JsonNode jwk) {
        StringBuilder text = new StringBuilder(jwk.path("kid").asText("no kid"));
        for (String member : new String[] {"alg", "use", "key_ops"}) {
            if (jwk.has(member)) {
                text.append(", ").append(member).append(' ').append(jwk.get(member));
            }
        }
        return text.toString();
    }
}
