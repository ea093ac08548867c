package io.jps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.config.ConfigLoader;
import io.jps.keys.CryptoBackend;
import io.jps.keys.KeyRing;
import io.jps.keys.KeysetLayout;
import io.jps.keys.KeysetLoader;
import io.jps.open.JoseOpener;
import io.jps.record.Json;
import io.jps.sandbox.ProviderCrypto;
import io.jps.support.SeedKeysets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped jar, as an integrator uses it from a shell: keys generate, seal, open, and their exit codes. */
class CliIT {

    private static final Path JAR = Path.of("target", "jose-payment-streams.jar");
    private static Path dir;

    private record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void generateKeys() throws Exception {
        dir = Files.createTempDirectory(Path.of("target"), "cli-");
        Run generated = jps("", "keys", "generate", "--provider", "juspay", "--account", "default",
                "--keys", dir.resolve("keys").toString(), "--sandbox-keys", dir.resolve("sandbox-keys").toString());
        assertThat(generated.exit()).as(generated.err()).isZero();
        assertThat(dir.resolve("keys/juspay/default/merchant-private.pem")).exists();
        assertThat(dir.resolve("sandbox-keys/juspay/default/provider-private.pem")).exists();
        assertThat(generated.out()).contains("attestation key: ");
        String attestationKey = Files.readString(dir.resolve("keys/attestation.key"));
        assertThat(java.util.Base64.getDecoder().decode(attestationKey.trim())).hasSize(32);

        Run again = jps("", "keys", "generate", "--provider", "wise", "--account", "default",
                "--keys", dir.resolve("keys").toString(), "--sandbox-keys", dir.resolve("sandbox-keys").toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).doesNotContain("attestation key");
        assertThat(Files.readString(dir.resolve("keys/attestation.key"))).as("kept: the deployment shares it").isEqualTo(attestationKey);
    }

    @Test
    void sealsAPayloadIntoTheSealedRequestJson() throws Exception {
        Run sealed = jps("{\"order_id\":\"ord_1\",\"unique_request_id\":\"rf_1\",\"amount\":\"10.00\"}",
                "seal", "--provider", "juspay", "--operation", "refund", "--keys", dir.resolve("keys").toString());

        assertThat(sealed.exit()).as(sealed.err()).isZero();
        var request = Json.parseTree(sealed.out());
        assertThat(request.get("path").asText()).isEqualTo("/v4/orders/ord_1/refunds");
        assertThat(Json.parseTree(request.get("body").asText()).has("encryptedPayload")).isTrue();
    }

    @Test
    void opensAGenuineAnswerToItsPlaintext() throws Exception {
        String answer = providerSide().sealAnswer("juspay", "default", "{\"status\":\"CHARGED\"}".getBytes(StandardCharsets.UTF_8),
                ProviderCrypto.AnswerMode.NORMAL, null);

        Run opened = jps(answer, "open", "--provider", "juspay", "--keys", dir.resolve("keys").toString());

        assertThat(opened.exit()).as(opened.err()).isZero();
        assertThat(Json.parseTree(opened.out())).isEqualTo(Json.parseTree("{\"status\":\"CHARGED\"}"));
        assertThat(opened.err()).contains("SUCCEEDED").contains("signature verified");
    }

    @Test
    void saysWhyAnAnswerFailsToOpenWithItsReasonCode() throws Exception {
        String answer = providerSide().sealAnswer("juspay", "default", "{\"status\":\"CHARGED\"}".getBytes(StandardCharsets.UTF_8),
                ProviderCrypto.AnswerMode.NORMAL, null);
        var fields = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parseTree(answer);
        String tag = fields.get("tag").asText();
        fields.put("tag", (tag.charAt(0) == 'A' ? "B" : "A") + tag.substring(1));

        Run tampered = jps(Json.write(fields), "open", "--provider", "juspay", "--keys", dir.resolve("keys").toString());
        Run garbage = jps("<html>hello</html>", "open", "--provider", "juspay", "--keys", dir.resolve("keys").toString());

        assertThat(tampered.exit()).isEqualTo(1);
        assertThat(tampered.err()).startsWith("DECRYPT_FAILED: ");
        assertThat(tampered.out()).doesNotContain("CHARGED");
        assertThat(garbage.exit()).isEqualTo(1);
        assertThat(garbage.err()).startsWith("MALFORMED: ");
    }

    @Test
    void stopsOnBadConfigurationNamingTheKey() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "providers:\n  juspay:\n    seal: {encryption: RSA1_5}\n");

        Run run = jps("{}", "seal", "--provider", "juspay", "--operation", "session", "--config", config.toString(),
                "--keys", dir.resolve("keys").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("providers.juspay.seal.encryption");
    }

    @Test
    void generatesAPortOneKeysetOfItsSecretsAloneThatSealsAndCarriesCredentials() throws Exception {
        Path root = Files.createTempDirectory(dir, "portone-");
        Run generated = jps("", "keys", "generate", "--provider", "portone", "--keys", root.resolve("keys").toString(),
                "--sandbox-keys", root.resolve("sandbox-keys").toString());

        assertThat(generated.exit()).as(generated.err()).isZero();
        assertThat(generated.out()).contains("[secrets.properties]");
        for (String side : List.of("keys", "sandbox-keys")) {
            try (var files = Files.list(root.resolve(side).resolve("portone/default"))) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactly("secrets.properties");
            }
        }
        String secrets = Files.readString(root.resolve("keys/portone/default/secrets.properties"));
        assertThat(secrets).containsPattern("(?m)^client-key=\\S+$").containsPattern("(?m)^hmac-secret=\\S{40,}$");
        assertThat(Files.readString(root.resolve("sandbox-keys/portone/default/secrets.properties"))).isEqualTo(secrets);

        Run sealed = jps("{\"merchant_order_ref\":\"MERCHANT1647433108462\"}", "seal", "--provider", "portone",
                "--operation", "transaction-status", "--with-credentials", "--keys", root.resolve("keys").toString());

        assertThat(sealed.exit()).as(sealed.err()).isZero();
        var headers = Json.parseTree(sealed.out()).get("headers");
        assertThat(headers.get("X-Portone-Client-Key").asText()).isNotBlank();
        assertThat(headers.get("Authorization").asText()).startsWith("Bearer ey");
    }

    @Test
    void sealsWithAnEncryptedPrivateKeyWhosePassphraseComesFromTheEnvironment() throws Exception {
        SeedKeysets seed = new SeedKeysets(Files.createTempDirectory(dir, "custodian-"));
        seed.socure("default", 365, "a custodian's passphrase", "SOCURE_KEY_PASSPHRASE");
        String payload = "{\"id\":\"e-1\",\"data\":{\"individual\":{\"given_name\":\"Ada\"}}}";
        String[] seal = {"seal", "--provider", "socure", "--operation", "evaluation", "--keys", seed.keys().toString()};

        Run withPassphrase = jps(payload, Map.of("SOCURE_KEY_PASSPHRASE", "a custodian's passphrase"), seal);
        Run without = jps(payload, Map.of(), seal);

        assertThat(withPassphrase.exit()).as(withPassphrase.err()).isZero();
        assertThat(Json.parseTree(Json.parseTree(withPassphrase.out()).get("body").asText()).has("encrypted_request")).isTrue();
        assertThat(without.exit()).isEqualTo(1);
        assertThat(without.err()).contains("NO_KEY: keyset socure/default cannot be loaded: ")
                .contains("merchant-key-passphrase").contains("SOCURE_KEY_PASSPHRASE");
    }

    private static ProviderCrypto providerSide() {
        CryptoBackend backend = CryptoBackend.select("auto");
        Clock clock = Clock.systemUTC();
        var profiles = ConfigLoader.defaults().providers();
        return new ProviderCrypto(profiles, new KeyRing(dir.resolve("sandbox-keys"),
                new KeysetLoader(backend, KeysetLayout.SANDBOX, Map.of(), profiles), Duration.ofSeconds(1), clock), backend, clock,
                new JoseOpener(backend, Duration.ofSeconds(60)));
    }

    private static Run jps(String stdin, String... args) throws IOException, InterruptedException {
        return jps(stdin, Map.of(), args);
    }

    private static Run jps(String stdin, Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out-", ".txt");
        Path err = Files.createTempFile(dir, "err-", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
