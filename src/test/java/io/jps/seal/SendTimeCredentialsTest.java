package io.jps.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import io.jps.engine.Engine;
import io.jps.profile.ReasonCode;
import io.jps.record.SealedRequest;
import io.jps.support.Engines;
import io.jps.support.MutableClock;
import io.jps.support.TestKeys;
import io.jps.support.Requests;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SendTimeCredentialsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));

    @Test
    void addsTheAccountsBearerTokenForWiseAndSocure() throws Exception {
        try (Engine engine = Engines.engine(Engines.config(null), clock)) {
            assertThat(engine.credentials().headersFor(sealed(engine, "wise")))
                    .containsExactly(Map.entry("Authorization", "Bearer " + TestKeys.secret("wise", "api-token")));
            assertThat(engine.credentials().headersFor(sealed(engine, "socure")))
                    .containsExactly(Map.entry("Authorization", "Bearer " + TestKeys.secret("socure", "api-key")));
        }
    }

    @Test
    void addsNothingForJuspayWhoseSealIsTheAuthentication() throws Exception {
        try (Engine engine = Engines.engine(Engines.config(null), clock)) {
            assertThat(engine.credentials().headersFor(sealed(engine, "juspay"))).isEmpty();
        }
    }

    @Test
    void mintsAPortOneTokenAsItsDocumentationSpecifies() throws Exception {
        try (Engine engine = Engines.engine(Engines.config(null), clock)) {
            String header = engine.credentials().headersFor(sealed(engine, "portone")).get("Authorization");

            assertThat(header).startsWith("Bearer ");
            SignedJWT jwt = SignedJWT.parse(header.substring("Bearer ".length()));
            assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
            assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("PORTONE");
            assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(TestKeys.secret("portone", "client-key"));
            assertThat(jwt.getJWTClaimsSet().getIssueTime().toInstant()).isEqualTo(clock.instant());
            assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(clock.instant().plusSeconds(100));
            assertThat(hs256(jwt.getSigningInput(), TestKeys.secret("portone", "hmac-secret")))
                    .isEqualTo(jwt.getSignature().decode());
        }
    }

    @Test
    void mintsAFreshPortOneTokenForEveryAttempt() throws Exception {
        try (Engine engine = Engines.engine(Engines.config(null), clock)) {
            SealedRequest request = sealed(engine, "portone");
            String first = engine.credentials().headersFor(request).get("Authorization");
            clock.advance(Duration.ofSeconds(150));
            String second = engine.credentials().headersFor(request).get("Authorization");

            assertThat(second).isNotEqualTo(first);
            assertThat(SignedJWT.parse(second.substring(7)).getJWTClaimsSet().getExpirationTime().toInstant())
                    .isEqualTo(clock.instant().plusSeconds(100));
        }
    }

    @Test
    void signsWithSecretsShorterThanNimbusWouldAccept() throws Exception {
        // PortOne's documented secrets can be shorter than HS256's recommended 256 bits, and PortOne accepts them.
        String overlay = "providers:\n  portone:\n    credentials: {lifetime: PT100S}\n";
        java.nio.file.Path keys = TestKeys.copy();
        java.nio.file.Files.writeString(keys.resolve("portone/default/secrets.properties"),
                "client-key=ShgshjhgHdg\nhmac-secret=PORTONE_SECRET\n");
        try (Engine engine = Engine.create(Engines.config(overlay), keys, Map.of(), clock)) {
            String token = engine.credentials().headersFor(sealed(engine, "portone")).get("Authorization").substring(7);
            SignedJWT jwt = SignedJWT.parse(token);
            assertThat(hs256(jwt.getSigningInput(), "PORTONE_SECRET")).isEqualTo(jwt.getSignature().decode());
        }
    }

    @Test
    void checksThatAnAttemptCanHaveItsCredentials() throws Exception {
        try (Engine engine = Engines.engine(Engines.config(null), clock)) {
            SealedRequest portone = sealed(engine, "portone");
            SealedRequest stranger = new SealedRequest(portone.requestId(), portone.provider(), "nobody", portone.method(),
                    portone.path(), portone.headers(), portone.body(), portone.sealedAt());
            engine.credentials().check(portone);
            engine.credentials().check(sealed(engine, "juspay"));
            engine.credentials().check(sealed(engine, "wise"));

            assertThatThrownBy(() -> engine.credentials().check(stranger)).isInstanceOfSatisfying(SealFailure.class,
                    failure -> assertThat(failure.reason()).isEqualTo(ReasonCode.UNKNOWN_ACCOUNT));
        }
    }

    private static SealedRequest sealed(Engine engine, String provider) throws SealFailure {
        return engine.sealer().seal(Requests.typical(provider, "default", "r-" + provider)).request();
    }

    private static byte[] hs256(byte[] input, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(input);
    }
}
