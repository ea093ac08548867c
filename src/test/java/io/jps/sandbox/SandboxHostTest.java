package io.jps.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jps.config.ConfigLoader;
import io.jps.support.TestKeys;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Where the sandbox listens: loopback unless told otherwise, every interface with {@code 0.0.0.0}, which is what a
 * dispatcher in another container needs.
 */
class SandboxHostTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void listensOnLoopbackOnlyByDefault() throws Exception {
        try (ProviderSandbox sandbox = start(SandboxSettings.wellBehaved(TestKeys.sandboxKeys()))) {
            assertThat(sandbox.baseUrl("juspay")).hasHost("127.0.0.1");
            assertThat(statusAt("127.0.0.1", sandbox.port())).isEqualTo(404);
            Optional<String> elsewhere = nonLoopbackAddress();
            if (elsewhere.isPresent()) {
                assertThatThrownBy(() -> statusAt(elsewhere.get(), sandbox.port())).isInstanceOf(ConnectException.class);
            } else {
                System.out.println("SandboxHostTest: this machine has no non-loopback IPv4 address; only loopback checked");
            }
        }
    }

    @Test
    void listensOnEveryInterfaceWithTheWildcardHost() throws Exception {
        try (ProviderSandbox sandbox = start(SandboxSettings.wellBehaved(TestKeys.sandboxKeys()).withHost("0.0.0.0"))) {
            assertThat(sandbox.baseUrl("juspay")).hasHost("0.0.0.0");
            assertThat(statusAt("127.0.0.1", sandbox.port())).isEqualTo(404);
            Optional<String> elsewhere = nonLoopbackAddress();
            if (elsewhere.isPresent()) {
                assertThat(statusAt(elsewhere.get(), sandbox.port())).isEqualTo(404);
            } else {
                System.out.println("SandboxHostTest: this machine has no non-loopback IPv4 address; only loopback checked");
            }
        }
    }

    private static ProviderSandbox start(SandboxSettings settings) throws IOException {
        return ProviderSandbox.start(ConfigLoader.defaults(), settings, Clock.systemUTC());
    }

    /** The sandbox answers a path below no provider with 404: proof that an HTTP server is there. */
    private static int statusAt(String host, int port) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Optional<String> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(SandboxHostTest::isUp)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                .map(InetAddress::getHostAddress)
                .findFirst();
    }

    private static boolean isUp(NetworkInterface network) {
        try {
            return network.isUp() && !network.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
