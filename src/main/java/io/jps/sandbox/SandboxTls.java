package io.jps.sandbox;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.jps.keys.TlsMaterial;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * HTTPS for the sandbox: its server certificate, and the providers that demand a client certificate signed by
 * {@code clientCa}. Those get a port of their own: a client certificate is asked for in the handshake, before
 * the path (and so the provider) is known.
 *
 * @param certificateChain          PEM server certificate (and intermediates), for 127.0.0.1
 * @param privateKey                PEM private key of the server certificate
 * @param clientCa                  PEM bundle of the CAs that may sign client certificates
 * @param clientCertificateRequired providers whose requests must come with a client certificate
 */
public record SandboxTls(Path certificateChain, Path privateKey, Path clientCa, Set<String> clientCertificateRequired) {

    public SandboxTls {
        clientCertificateRequired = Set.copyOf(clientCertificateRequired);
    }

    boolean requiresClientCertificate(String provider) {
        return clientCertificateRequired.contains(provider);
    }

    /** An HTTPS server for the providers that take any client, certificate or not. */
    HttpsServer server(InetSocketAddress address, int backlog) throws IOException {
        SSLContext context = context(null);
        HttpsServer server = HttpsServer.create(address, backlog);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        return server;
    }

    /** Mutual TLS for the providers that demand a client certificate, in front of the sandbox's port for them. */
    MutualTlsFront mutualFront(int backlog, InetSocketAddress backend) throws IOException {
        return MutualTlsFront.start(context(clientCa), backlog, backend);
    }

    private SSLContext context(Path trustedClientCas) throws IOException {
        try {
            return TlsMaterial.context(trustedClientCas, certificateChain, privateKey);
        } catch (TlsMaterial.Unusable e) {
            throw new IOException("sandbox TLS: " + e.getMessage());
        }
    }
}
