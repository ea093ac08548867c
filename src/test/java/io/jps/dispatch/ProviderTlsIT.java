package io.jps.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.config.ConfigLoader;
import io.jps.record.Json;
import io.jps.record.ProviderResponse;
import io.jps.sandbox.ProviderSandbox;
import io.jps.sandbox.SandboxSettings;
import io.jps.sandbox.SandboxTls;
import io.jps.support.Requests;
import io.jps.support.TestBroker;
import io.jps.support.TestCertificates;
import io.jps.support.TestKeys;
import io.jps.topology.HeaderNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher against the sandbox over HTTPS with a test CA, Wise demanding a client certificate. With the right
 * trust store and certificate both providers answer; with a trust store of another CA, or without the client
 * certificate, the requests end in the dispatch dead-letter topic as TRANSPORT_FAILED, saying which, with no secret.
 */
class ProviderTlsIT {

    @Test
    void answersWithTheRightTlsSettingsAndSaysWhichSideRefusedOtherwise() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "tls-it-");
        TestCertificates.Authority serverCa = TestCertificates.authority(dir, "sandbox-ca");
        TestCertificates.Authority clientCa = TestCertificates.authority(dir, "client-ca");
        TestCertificates.Authority otherCa = TestCertificates.authority(dir, "other-ca");
        TestCertificates.Issued server = serverCa.server(dir, "sandbox");
        TestCertificates.Issued client = clientCa.client(dir, "merchant");
        try (TestBroker broker = TestBroker.start();
             ProviderSandbox sandbox = ProviderSandbox.start(ConfigLoader.defaults(), SandboxSettings.wellBehaved(TestKeys.sandboxKeys()),
                     new SandboxTls(server.certificateFile(), server.keyFile(), clientCa.certificateFile(), Set.of("wise")),
                     Clock.systemUTC())) {
            try (DispatcherFixture right = new DispatcherFixture(broker, "tls-right",
                    provider(sandbox, "juspay", serverCa.certificateFile(), null)
                            + provider(sandbox, "wise", serverCa.certificateFile(), client))) {
                right.send(Requests.typical("juspay", "default", "tls-right-juspay"));
                right.send(Requests.typical("wise", "default", "tls-right-wise"));

                assertThat(right.awaitOutcomes(2)).allSatisfy(record -> {
                    assertThat(record.topic()).isEqualTo("tls-right.responses");
                    assertThat(Json.MAPPER.readValue(record.value(), ProviderResponse.class).httpStatus()).isEqualTo(200);
                });
            }
            try (DispatcherFixture wrong = new DispatcherFixture(broker, "tls-wrong",
                    provider(sandbox, "juspay", otherCa.certificateFile(), null)
                            + provider(sandbox, "wise", serverCa.certificateFile(), null))) {
                wrong.send(Requests.typical("juspay", "default", "tls-wrong-juspay"));
                wrong.send(Requests.typical("wise", "default", "tls-wrong-wise"));

                Map<String, ConsumerRecord<byte[], byte[]>> letters = wrong.awaitOutcomes(2).stream().collect(Collectors.toMap(
                        record -> DispatcherFixture.header(record, HeaderNames.REQUEST_ID), record -> record));
                String token = TestKeys.secret("wise", "api-token");
                for (var letter : letters.values()) {
                    assertThat(letter.topic()).isEqualTo("tls-wrong.dlq.dispatch");
                    assertThat(DispatcherFixture.header(letter, HeaderNames.ERROR_REASON)).isEqualTo("TRANSPORT_FAILED");
                    assertThat(DispatcherFixture.header(letter, HeaderNames.ERROR_MESSAGE)).doesNotContain(token)
                            .doesNotContain("PRIVATE KEY");
                }
                assertThat(DispatcherFixture.header(letters.get("tls-wrong-juspay"), HeaderNames.ERROR_MESSAGE))
                        .contains("server certificate is not trusted").contains("providers.juspay.tls.trustStore");
                assertThat(DispatcherFixture.header(letters.get("tls-wrong-wise"), HeaderNames.ERROR_MESSAGE))
                        .contains("refused our client certificate").contains("providers.wise.tls.clientCertificate");
            }
            assertThat(List.of(sandbox.stats("juspay").received(), sandbox.stats("wise").received()))
                    .as("requests past the handshake: the two sent with the right settings").containsExactly(1L, 1L);
        }
    }

    private static String provider(ProviderSandbox sandbox, String name, Path trustStore, TestCertificates.Issued client) {
        return "  " + name + ":\n    baseUrl: " + sandbox.baseUrl(name) + "\n"
                + "    tls: {trustStore: " + trustStore
                + (client == null ? "" : ", clientCertificate: " + client.certificateFile() + ", clientKey: " + client.keyFile())
                + "}\n";
    }
}
