package io.jps.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.jps.engine.Engine;
import io.jps.open.OpenFailure;
import io.jps.profile.ReasonCode;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.PaymentResult;
import io.jps.record.ProviderResponse;
import io.jps.seal.Sealed;
import io.jps.support.Engines;
import io.jps.support.Requests;
import io.jps.support.Sent;
import io.jps.support.TestKeys;
import io.jps.support.TestTools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interop with Juspay's own published Node.js reference code (copied unchanged into
 * {@code interop/juspay-reference.js}): what we seal must open with their decrypt-and-verify, and what
 * their code seals as an answer must open with ours. Juspay runs this code, or code like it, on the other
 * end; agreeing with each other's tests is not enough.
 */
class JuspayReferenceInteropTest {

    /** Juspay's names for the five compact JWE parts, in order, as its API samples put them in the body. */
    private static final List<String> FIVE_FIELDS = List.of("header", "encryptedKey", "iv", "encryptedPayload", "tag");
    private static final String ANSWER = "{\"order_id\":\"ord_77\",\"status\":\"SUCCESS\",\"refund\":{\"unique_request_id\":\"rf_1\",\"amount\":\"10.00\"}}";
    private static final String ALLOW_RSA_OAEP = "providers:\n  juspay:\n    open: {encryption: [RSA-OAEP-256, RSA-OAEP]}\n";

    private static Path script;

    @BeforeAll
    static void findTheReferenceCode() throws URISyntaxException {
        script = Path.of(JuspayReferenceInteropTest.class.getResource("/interop/juspay-reference.js").toURI());
    }

    @BeforeEach
    void nodeIsAvailable() {
        // Per test rather than per class, so a run without node lists each interop test as skipped, with why;
        // under CI it fails instead.
        TestTools.require("node");
    }

    @Test
    void theSeedsJwtDecryptOpensWhatWeSealForJuspay() throws Exception {
        try (Engine engine = Engines.engine()) {
            // Given a refund sealed by our default juspay profile (RS256 inside RSA-OAEP-256 + A256GCM), which
            // is what the seed's decrypt expects: it unwraps the content key with oaepHash sha256
            PaymentRequest request = Requests.typical("juspay", "default", "r-interop-seal");
            Sealed sealed = engine.sealer().seal(request);
            JsonNode body = Json.parseObject(sealed.request().body().getBytes(StandardCharsets.UTF_8));
            String compact = FIVE_FIELDS.stream().map(field -> body.get(field).asText()).collect(Collectors.joining("."));
            assertThat(headerOf(compact)).contains("\"alg\":\"RSA-OAEP-256\"");

            // When Juspay's jwtDecrypt opens it with its private key and verifies with our public key
            Path juspaySide = TestKeys.sandboxKeys().resolve("juspay").resolve("default");
            String plaintext = node(compact, "decrypt", juspaySide.resolve("provider-private.pem").toString(),
                    juspaySide.resolve("merchant-public.pem").toString());

            // Then it reads exactly the payload we were given
            assertThat(Requests.json(plaintext)).isEqualTo(request.payload());
        }
    }

    @Test
    void anAnswerFromTheSeedsJwtEncryptOpensWhenTheProfileAllowsRsaOaep() throws Exception {
        // Given a juspay profile configured for accounts set up the seed's way (RSA-OAEP next to RSA-OAEP-256)
        try (Engine engine = Engines.engine(Engines.config(ALLOW_RSA_OAEP), Clock.systemUTC())) {
            // When Juspay answers with its reference jwtEncrypt: signed with its private key, encrypted to ours
            String kid = juspayKeyUuid();
            String compact = juspayAnswer(kid);
            assertThat(headerOf(compact)).contains("\"alg\":\"RSA-OAEP\"", "\"cty\":\"JWT\"");
            PaymentResult result = engine.opener().open(answer("r-interop-answer", compact), Sent.to(answer("r-interop-answer", compact)));

            // Then our opener decrypts (SHA-1 OAEP), verifies the RS256 signature and returns Juspay's JSON
            assertThat(result.outcome()).isEqualTo(PaymentResult.Outcome.SUCCEEDED);
            assertThat(result.payload()).isEqualTo(Requests.json(ANSWER));
            assertThat(result.verifiedKid()).isEqualTo(kid);
        }
    }

    @Test
    void theDefaultJuspayProfileRefusesTheSeedsRsaOaepAnswer() throws Exception {
        // The default allows RSA-OAEP-256 only; this is why the RSA-OAEP option exists in the configuration.
        try (Engine engine = Engines.engine()) {
            String compact = juspayAnswer(juspayKeyUuid());

            OpenFailure failure = catchThrowableOfType(OpenFailure.class,
                    () -> engine.opener().open(answer("r-interop-refused", compact), Sent.to(answer("r-interop-refused", compact))));

            assertThat(failure).isNotNull();
            assertThat(failure.reason()).isEqualTo(ReasonCode.ALG_NOT_ALLOWED);
            assertThat(failure.getMessage()).contains("JWE alg 'RSA-OAEP'");
        }
    }

    /** The seed's jwtEncrypt run as Juspay would: its private key signs, our public key is the recipient. */
    private static String juspayAnswer(String kid) throws Exception {
        Path juspaySide = TestKeys.sandboxKeys().resolve("juspay").resolve("default");
        return node(ANSWER, "encrypt", kid, juspaySide.resolve("merchant-public.pem").toString(),
                juspaySide.resolve("provider-private.pem").toString()).trim();
    }

    /** Juspay issues one key UUID per JWT key set; both its headers carry it. */
    private static String juspayKeyUuid() throws IOException {
        return Files.readString(TestKeys.sandboxKeys().resolve("juspay").resolve("default").resolve("provider-private.kid")).trim();
    }

    /** The answer as Juspay's API samples show it: the five compact parts as JSON fields. */
    private static ProviderResponse answer(String requestId, String compact) {
        String[] parts = compact.split("\\.", -1);
        assertThat(parts).hasSize(FIVE_FIELDS.size());
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < parts.length; i++) {
            fields.put(FIVE_FIELDS.get(i), parts[i]);
        }
        return new ProviderResponse(requestId, "juspay", "default", 200, Map.of("Content-Type", "application/json"),
                Json.write(fields), 1, System.currentTimeMillis(), System.currentTimeMillis());
    }

    private static String headerOf(String compact) {
        return new String(Base64.getUrlDecoder().decode(compact.substring(0, compact.indexOf('.'))), StandardCharsets.UTF_8);
    }

    private static String node(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        // A guard against a hung child, not a performance expectation.
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("node " + args[0] + " did not finish");
        }
        assertThat(process.exitValue()).as("node %s failed: %s", args[0], stderr.join()).isZero();
        return stdout.join();
    }

    private static String read(InputStream stream) {
        try (stream; ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            stream.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
