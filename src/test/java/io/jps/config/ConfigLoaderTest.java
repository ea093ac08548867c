package io.jps.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jps.engine.Engine;
import io.jps.keys.KeysetGenerator;
import io.jps.profile.Operation;
import io.jps.profile.WireForm;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.PaymentResult;
import io.jps.record.ProviderResponse;
import io.jps.sandbox.ProviderCrypto;
import io.jps.seal.Sealed;
import io.jps.support.Engines;
import io.jps.support.Requests;
import io.jps.support.Sent;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    @Test
    void shipsTheFourProviderPresets() {
        PipelineConfig config = ConfigLoader.defaults();

        assertThat(config.providers()).containsOnlyKeys("juspay", "wise", "socure", "portone");
        assertThat(config.providers().get("juspay").seal().encryption()).isEqualTo("RSA-OAEP-256");
        assertThat(config.providers().get("juspay").seal().wireForm()).isEqualTo(WireForm.JUSPAY_FIELDS);
        assertThat(config.providers().get("wise").open().directEncryption()).isTrue();
        assertThat(config.providers().get("portone").credentials().lifetime()).isEqualTo(Duration.ofSeconds(100));
        assertThat(config.topics().requests().name()).isEqualTo("payments.requests");
    }

    @Test
    void declaresJuspayMandateExecutionAsAnsweredPlainAndSocuresFullEndpointList() {
        PipelineConfig config = ConfigLoader.defaults();

        assertThat(config.providers().get("juspay").operation("txn").orElseThrow().answer()).isEqualTo(Operation.Answer.PLAIN);
        assertThat(config.providers().get("juspay").operation("refund").orElseThrow().answer()).isEqualTo(Operation.Answer.JOSE);
        assertThat(config.providers().get("socure").operations()).containsOnlyKeys(
                "evaluation", "evaluation-version", "evaluation-update", "docv-upload", "docv-upload-update");
        assertThat(config.providers().get("socure").operation("evaluation-version").orElseThrow())
                .isEqualTo(new Operation("POST", "/api/evaluation/{version}", Operation.Answer.JOSE));
        assertThat(config.providers().get("socure").operation("docv-upload-update").orElseThrow())
                .isEqualTo(new Operation("PATCH", "/api/docv/upload/{docv_transaction_token}", Operation.Answer.JOSE));
    }

    @Test
    void refusesAnAnswerFormThatIsNeitherJoseNorPlainNamingTheKey() throws Exception {
        Path file = yaml("providers:\n  juspay:\n    operations:\n      txn: {method: POST, path: /v4/txns, answer: clear}\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("providers.juspay.operations.txn.answer").hasMessageContaining("'clear'");
        assertThat(ConfigLoader.load(null, Map.of("JPS_PROVIDERS_JUSPAY_OPERATIONS_REFUND_ANSWER", "plain"))
                .providers().get("juspay").operation("refund").orElseThrow().answer()).isEqualTo(Operation.Answer.PLAIN);
    }

    @Test
    void environmentVariablesOverrideAnyKeyByItsPath() {
        PipelineConfig config = ConfigLoader.load(null, Map.of(
                "JPS_BOOTSTRAP_SERVERS", "broker:19092",
                "JPS_PROVIDERS_JUSPAY_BASE_URL", "http://127.0.0.1:8081",
                "JPS_PROVIDERS_JUSPAY_ALLOW_PLAIN_HTTP", "true",
                "JPS_PROVIDERS_JUSPAY_OPEN_ENCRYPTION", "RSA-OAEP-256, RSA-OAEP",
                "JPS_TOPICS_DLQ_REQUEST_PARTITIONS", "12",
                "PATH", "/usr/bin"));

        assertThat(config.bootstrapServers()).isEqualTo("broker:19092");
        assertThat(config.providers().get("juspay").baseUrl()).isEqualTo(URI.create("http://127.0.0.1:8081"));
        assertThat(config.providers().get("juspay").open().encryption()).containsExactly("RSA-OAEP-256", "RSA-OAEP");
        assertThat(config.topics().dlqRequest().partitions()).isEqualTo(12);
    }

    @Test
    void refusesRequestsSealedRequestsAndResponsesThatAreNotCoPartitioned() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("JPS_TOPICS_RESPONSES_PARTITIONS", "12")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topics.responses.partitions").hasMessageContaining("topics.requests.partitions (6)");
        assertThat(ConfigLoader.load(null, Map.of("JPS_TOPICS_REQUESTS_PARTITIONS", "12", "JPS_TOPICS_SEALED_PARTITIONS", "12",
                "JPS_TOPICS_RESPONSES_PARTITIONS", "12")).topics().responses().partitions()).isEqualTo(12);
    }

    @Test
    void refusesAnEnvironmentVariableThatNamesNoKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("JPS_PROVIDERS_JUSPAY_BASE_URI", "x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JPS_PROVIDERS_JUSPAY_BASE_URI");
    }

    @Test
    void ignoresTheVariablesKubernetesSetsForAServiceNamedJpsButNoTypo() {
        Map<String, String> serviceLinks = Map.of(
                "JPS_PORT", "tcp://10.0.0.1:9464",
                "JPS_PORT_9464_TCP", "tcp://10.0.0.1:9464",
                "JPS_PORT_9464_TCP_PROTO", "tcp",
                "JPS_PORT_9464_TCP_PORT", "9464",
                "JPS_PORT_9464_TCP_ADDR", "10.0.0.1",
                "JPS_SERVICE_HOST", "10.0.0.1",
                "JPS_SERVICE_PORT", "9464",
                "JPS_SERVICE_PORT_METRICS", "9464",
                "JPS_METRICS_PORT", "9465");

        assertThat(ConfigLoader.load(null, serviceLinks).metrics().port()).isEqualTo(9465);
        for (String typo : List.of("JPS_METRICS_PORTS", "JPS_PORTS", "JPS_PORT_9464", "JPS_PORT_9464_TCP_HOST", "JPS_SERVICE_HOSTNAME",
                "JPS_SECURITY_PROTOCOL")) {
            assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(typo, "x"))).as(typo)
                    .isInstanceOf(ConfigException.class).hasMessageContaining(typo);
        }
    }

    @Test
    void readsTheKafkaPropertiesFileAndTopicCreationFromTheEnvironment() {
        PipelineConfig config = ConfigLoader.load(null, Map.of("JPS_KAFKA_PROPERTIES", "/etc/jps/kafka.properties",
                "JPS_TOPICS_CREATE", "false"));

        assertThat(config.kafkaProperties()).isEqualTo(Path.of("/etc/jps/kafka.properties"));
        assertThat(config.topics().create()).isFalse();
        assertThat(ConfigLoader.defaults().kafkaProperties()).isNull();
        assertThat(ConfigLoader.defaults().topics().create()).isTrue();
    }

    @Test
    void topicsDefaultToProductionReplicationAndRefuseAMinimumInSyncAboveIt() throws Exception {
        assertThat(ConfigLoader.defaults().topics().all()).allSatisfy(topic -> {
            assertThat(topic.replicationFactor()).isEqualTo((short) 3);
            assertThat(topic.minInsyncReplicas()).isEqualTo(2);
        });
        assertThatThrownBy(() -> ConfigLoader.load(yaml("topics:\n  sealed: {replicationFactor: 2, minInsyncReplicas: 3}\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("topics.sealed.minInsyncReplicas");
    }

    @Test
    void refusesADispatcherCommitIntervalThatIsNotPositive() throws Exception {
        for (String bad : new String[] {"PT0S", "-PT1S"}) {
            assertThatThrownBy(() -> ConfigLoader.load(yaml("dispatcher: {commitInterval: " + bad + "}\n"), Map.of()))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("dispatcher.commitInterval");
        }
    }

    @Test
    void overlaysAFileAndRefusesUnknownKeysNamingThem() throws Exception {
        PipelineConfig config = ConfigLoader.load(yaml("applicationId: my-app\nopen:\n  clockSkew: PT5S\n"), Map.of());
        assertThat(config.applicationId()).isEqualTo("my-app");
        assertThat(config.open().clockSkew()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.open().dedupRetention()).isEqualTo(Duration.ofDays(7));

        assertThatThrownBy(() -> ConfigLoader.load(yaml("providers:\n  juspay:\n    seel: {signature: RS256}\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("providers.juspay").hasMessageContaining("seel");
    }

    @Test
    void refusesAlgorithmsOutsideTheSupportedSafeSet() throws Exception {
        for (String[] bad : new String[][] {
                {"seal:\n      encryption: RSA1_5", "providers.juspay.seal.encryption"},
                {"seal:\n      signature: HS256", "providers.juspay.seal.signature"},
                {"open:\n      signature: [none]", "providers.juspay.open.signature"},
                {"open:\n      encryption: [dir]", "providers.juspay.open.encryption"},
                {"open:\n      contentEncryption: [A128KW]", "providers.juspay.open.contentEncryption"}}) {
            Path file = yaml("providers:\n  juspay:\n    " + bad[0] + "\n");
            assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                    .isInstanceOf(ConfigException.class).hasMessageContaining(bad[1]);
        }
    }

    @Test
    void refusesAWireFormThatCannotCarryTheSeal() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(yaml("providers:\n  portone:\n    seal: {wireForm: compact}\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("providers.portone.seal.wireForm");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("providers:\n  socure:\n    seal: {envelopeField: null}\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("providers.socure.seal.envelopeField");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("providers:\n  juspay:\n    seal: {wireForm: sideways}\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("providers.juspay.seal.wireForm");
    }

    @Test
    void refusesCircularOrDanglingLikes() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(yaml("providers:\n  a: {like: b}\n  b: {like: a}\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("circular");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("providers:\n  a: {like: stripe}\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("providers.a.like");
    }

    @Test
    void aFifthProviderIsConfigurationOnly() throws Exception {
        // A provider nobody wrote code for: Socure's scheme, its own envelope names, host and operations.
        Path file = yaml("""
                providers:
                  acmepay:
                    like: socure
                    baseUrl: https://api.acmepay.example
                    seal: {envelopeField: jwe, signature: PS256}
                    open: {envelopeField: jwe_answer, signature: [PS256]}
                    credentials: {scheme: bearer, secret: acme-token}
                    operations:
                      capture: {method: POST, path: "/v2/payments/{payment_id}/capture"}
                """);
        PipelineConfig config = ConfigLoader.load(file, Map.of());
        Path dir = Files.createTempDirectory(Path.of("target"), "acmepay-");
        KeysetGenerator.generate(config.providers().get("acmepay"), "default", dir.resolve("keys"), dir.resolve("sandbox"), false);

        try (Engine engine = Engine.create(config, dir.resolve("keys"), Map.of(), Clock.systemUTC())) {
            PaymentRequest request = new PaymentRequest("r-acme", "acmepay", "default", "capture", null, null, null,
                    Requests.json("{\"payment_id\":\"pay_1\",\"amount\":5}"));
            Sealed sealed = engine.sealer().seal(request);
            assertThat(sealed.request().path()).isEqualTo("/v2/payments/pay_1/capture");
            assertThat(Json.parseTree(sealed.request().body()).has("jwe")).isTrue();
            assertThat(engine.credentials().headersFor(sealed.request())).containsKey("Authorization");

            ProviderCrypto provider = new ProviderCrypto(config.providers(), new io.jps.keys.KeyRing(dir.resolve("sandbox"),
                    new io.jps.keys.KeysetLoader(engine.backend(), io.jps.keys.KeysetLayout.SANDBOX, Map.of(), config.providers()),
                    Duration.ofSeconds(1), engine.clock()), engine.backend(), engine.clock(), engine.joseOpener());
            var opened = provider.openRequest("acmepay", "default", sealed.request().path(), sealed.request().body());
            assertThat(Json.parseTree(new String(opened.payload()))).isEqualTo(request.payload());
            String answer = provider.sealAnswer("acmepay", "default", "{\"captured\":true}".getBytes(),
                    ProviderCrypto.AnswerMode.NORMAL, null);
            long now = System.currentTimeMillis();
            ProviderResponse response = new ProviderResponse("r-acme", "acmepay", "default", 200, Map.of(), answer, 1, now, now);
            PaymentResult result = engine.opener().open(response, Sent.to(response));
            assertThat(result.payload()).isEqualTo(Requests.json("{\"captured\":true}"));
        }
    }

    @Test
    void environmentNamesFollowTheKeyPath() {
        assertThat(ConfigLoader.envName(List.of("providers", "juspay", "baseUrl"))).isEqualTo("PROVIDERS_JUSPAY_BASE_URL");
        assertThat(ConfigLoader.envName(List.of("providers", "my-psp", "headers", "X-TW-JOSE-Method")))
                .isEqualTo("PROVIDERS_MY_PSP_HEADERS_X_TW_JOSE_METHOD");
    }

    private static Path yaml(String text) throws Exception {
        Path file = Files.createTempFile(Path.of("target"), "config-", ".yaml");
        Files.writeString(file, text);
        return file;
    }
}
