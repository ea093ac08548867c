package io.jps.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jps.config.ConfigException;
import io.jps.config.ConfigLoader;
import io.jps.config.PipelineConfig;
import io.jps.engine.Engine;
import io.jps.observe.PipelineMetrics;
import io.jps.profile.ProviderProfile;
import io.jps.profile.ReasonCode;
import io.jps.record.SealedRequest;
import io.jps.sandbox.ProviderSandbox;
import io.jps.sandbox.SandboxSettings;
import io.jps.sandbox.SandboxTls;
import io.jps.support.Engines;
import io.jps.support.Requests;
import io.jps.support.TestCertificates;
import io.jps.support.TestKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Provider TLS against the sandbox serving HTTPS with a test CA, Wise on a port that demands a client certificate:
 * the right trust store and certificate work; a wrong CA or a missing certificate fails at once, saying which.
 */
class ProviderTlsTest {

    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor();
    private static Path dir;
    private static TestCertificates.Authority serverCa;
    private static TestCertificates.Authority clientCa;
    private static TestCertificates.Authority strangerCa;
    private static TestCertificates.Issued client;
    private static ProviderSandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target"), "tls-");
        serverCa = TestCertificates.authority(dir, "sandbox-ca");
        clientCa = TestCertificates.authority(dir, "client-ca");
        strangerCa = TestCertificates.authority(dir, "stranger-ca");
        client = clientCa.client(dir, "merchant");
        TestCertificates.Issued server = serverCa.server(dir, "sandbox");
        sandbox = ProviderSandbox.start(ConfigLoader.defaults(), SandboxSettings.wellBehaved(TestKeys.sandboxKeys()),
                new SandboxTls(server.certificateFile(), server.keyFile(), clientCa.certificateFile(), Set.of("wise")),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        SCHEDULER.shutdownNow();
        sandbox.close();
    }

    @Test
    void answersWithTheRightTrustStoreAndClientCertificate() throws Exception {
        assertThat(sandbox.baseUrl("wise").getPort()).isNotEqualTo(sandbox.baseUrl("juspay").getPort());
        try (Engine engine = engine(serverCa.certificateFile(), client)) {
            for (String provider : new String[] {"juspay", "wise"}) {
                assertThat(call(engine, provider)).as(provider).isInstanceOfSatisfying(CallOutcome.Answered.class,
                        answered -> assertThat(answered.response().httpStatus()).isEqualTo(200));
            }
        }
    }

    @Test
    void saysTheServerCertificateIsNotTrustedWhenTheTrustStoreHoldsAnotherCa() throws Exception {
        try (Engine engine = engine(strangerCa.certificateFile(), client)) {
            for (String provider : new String[] {"juspay", "wise"}) {
                assertThat(call(engine, provider)).as(provider).isInstanceOfSatisfying(CallOutcome.GaveUp.class, gaveUp -> {
                    assertThat(gaveUp.reason()).isEqualTo(ReasonCode.TRANSPORT_FAILED);
                    assertThat(gaveUp.attempts()).isEqualTo(1);
                    assertThat(gaveUp.message()).contains("server certificate is not trusted")
                            .contains("providers." + provider + ".tls.trustStore");
                });
            }
        }
    }

    @Test
    void saysTheClientCertificateWasRefusedWhenNoneOrAStrangersIsSent() throws Exception {
        for (TestCertificates.Issued presented : new TestCertificates.Issued[] {null, strangerCa.client(dir, "stranger")}) {
            try (Engine engine = engine(serverCa.certificateFile(), presented)) {
                CallOutcome outcome = call(engine, "wise");
                String token = TestKeys.secret("wise", "api-token");

                assertThat(outcome).isInstanceOfSatisfying(CallOutcome.GaveUp.class, gaveUp -> {
                    assertThat(gaveUp.reason()).isEqualTo(ReasonCode.TRANSPORT_FAILED);
                    assertThat(gaveUp.message()).contains("refused our client certificate")
                            .contains("providers.wise.tls.clientCertificate");
                    assertThat(gaveUp.message()).doesNotContain(token).doesNotContain("PRIVATE KEY");
                });
            }
        }
        assertThat(sandbox.stats("wise").received()).as("no request got past the handshake").isZero();
    }

    @Test
    void refusesAtStartATrustStoreThatIsNotThere() {
        PipelineConfig config = config(dir.resolve("missing.pem"), null);

        assertThatThrownBy(() -> ProviderHttpClients.create(config.providers(), Duration.ofSeconds(1)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("missing.pem")
                .hasMessageMatching("configuration key providers\\.(juspay|wise)\\.tls\\.trustStore: .*");
    }

    private static CallOutcome call(Engine engine, String provider) throws Exception {
        SealedRequest sealed = engine.sealer().seal(Requests.typical(provider, "default", "tls-" + provider)).request();
        ProviderProfile profile = engine.config().providers().get(provider);
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry(), engine.config().providers().keySet());
        ProviderCall call = new ProviderCall(ProviderHttpClients.create(engine.config().providers(), Duration.ofSeconds(5)),
                new ProviderCircuits(engine.config().providers(), metrics), engine.credentials(), SCHEDULER, engine.clock(),
                System::nanoTime, 1 << 20, metrics);
        return call.send(sealed, profile, RequestGuard.allow(sealed, profile)).get(60, TimeUnit.SECONDS);
    }

    private static Engine engine(Path trustStore, TestCertificates.Issued clientCertificate) {
        return Engines.engine(config(trustStore, clientCertificate), Clock.systemUTC());
    }

    private static PipelineConfig config(Path trustStore, TestCertificates.Issued clientCertificate) {
        StringBuilder yaml = new StringBuilder("providers:\n");
        for (String provider : new String[] {"juspay", "wise"}) {
            yaml.append("  ").append(provider).append(":\n    baseUrl: ").append(sandbox.baseUrl(provider)).append('\n')
                    .append("    dispatch: {maxAttempts: 3, initialBackoff: PT0.05S, maxBackoff: PT0.1S}\n")
                    .append("    tls: {trustStore: ").append(trustStore);
            if (clientCertificate != null) {
                yaml.append(", clientCertificate: ").append(clientCertificate.certificateFile())
                        .append(", clientKey: ").append(clientCertificate.keyFile());
            }
            yaml.append("}\n");
        }
        return Engines.config(yaml.toString());
    }
}
