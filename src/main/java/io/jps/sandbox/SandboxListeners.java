package io.jps.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the sandbox listens: one loopback port, plain HTTP or HTTPS; with TLS, the providers that demand a client
 * certificate get a port of their own behind a {@link MutualTlsFront}.
 */
final class SandboxListeners {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxListeners.class);

    private final String host;
    private final SandboxTls tls;
    private final HttpServer server;
    private final HttpServer mutualServer;
    private final MutualTlsFront mutualFront;

    private SandboxListeners(String host, SandboxTls tls, HttpServer server, HttpServer mutualServer, MutualTlsFront mutualFront) {
        this.host = host;
        this.tls = tls;
        this.server = server;
        this.mutualServer = mutualServer;
        this.mutualFront = mutualFront;
    }

    /** @param tls null for plain HTTP */
    static SandboxListeners create(String host, int port, int backlog, SandboxTls tls, HttpHandler handler, Executor workers)
            throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        HttpServer server = tls == null ? HttpServer.create(address, backlog) : tls.server(address, backlog);
        boolean mutual = tls != null && !tls.clientCertificateRequired().isEmpty();
        HttpServer mutualServer = mutual ? HttpServer.create(new InetSocketAddress(host, 0), backlog) : null;
        MutualTlsFront mutualFront = mutual ? tls.mutualFront(backlog, mutualServer.getAddress()) : null;
        SandboxListeners listeners = new SandboxListeners(host, tls, server, mutualServer, mutualFront);
        for (HttpServer one : listeners.servers()) {
            one.createContext("/", handler);
            one.setExecutor(workers);
        }
        return listeners;
    }

    void start() {
        servers().forEach(HttpServer::start);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** {@code http(s)://127.0.0.1:<port>/}, below which every provider that takes any client is served. */
    String root() {
        return scheme() + "://" + host + ":" + port() + "/";
    }

    private String scheme() {
        return tls == null ? "http" : "https";
    }

    URI baseUrl(String provider) {
        int port = mutualFront != null && tls.requiresClientCertificate(provider) ? mutualFront.port() : port();
        return URI.create(scheme() + "://" + host + ":" + port + "/" + provider);
    }

    /** Whether the request reached the port that serves its provider: with a client certificate if it must have one. */
    boolean rightPort(String provider, HttpExchange exchange) {
        boolean mutual = exchange.getHttpContext().getServer() == mutualServer;
        return tls == null || tls.requiresClientCertificate(provider) == mutual;
    }

    void close() {
        servers().forEach(one -> one.stop(0));
        if (mutualFront != null) {
            try {
                mutualFront.close();
            } catch (IOException e) {
                LOG.debug("sandbox: closing the mTLS front failed ({})", e.getClass().getSimpleName());
            }
        }
    }

    private List<HttpServer> servers() {
        return mutualServer == null ? List.of(server) : List.of(server, mutualServer);
    }
}
