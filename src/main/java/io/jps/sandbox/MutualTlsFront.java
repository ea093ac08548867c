package io.jps.sandbox;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mutual TLS in front of the sandbox's own loopback port, for the providers that demand a client certificate: it
 * completes the handshake (needing a certificate signed by the client CA) and relays each connection as it is.
 * A refused client gets the TLS alert that says why, as from a real provider's server; the JDK's HttpsServer
 * would drop the connection without one.
 */
final class MutualTlsFront implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(MutualTlsFront.class);

    private final SSLServerSocket listener;
    private final InetSocketAddress backend;
    private final ExecutorService relays = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "jps-sandbox-mtls");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private MutualTlsFront(SSLServerSocket listener, InetSocketAddress backend) {
        this.listener = listener;
        this.backend = backend;
    }

    static MutualTlsFront start(SSLContext context, int backlog, InetSocketAddress backend) throws IOException {
        SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, backlog, InetAddress.getByName(backend.getHostString()));
        listener.setNeedClientAuth(true);
        MutualTlsFront front = new MutualTlsFront(listener, backend);
        front.relays.execute(front::accept);
        return front;
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                SSLSocket client = (SSLSocket) listener.accept();
                relays.execute(() -> relay(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void relay(SSLSocket client) {
        Socket upstream = new Socket();
        open.add(client);
        open.add(upstream);
        try {
            client.startHandshake();
            upstream.connect(backend);
            relays.execute(() -> pipe(client, upstream));
            pipe(upstream, client);
        } catch (IOException e) {
            LOG.debug("sandbox mTLS: connection refused or ended ({})", e.getClass().getSimpleName());
            closeBoth(client, upstream);
        }
    }

    /** Copies one direction until it ends, then closes both: HTTP/1.1 keeps no half-open connections. */
    private void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            LOG.debug("sandbox mTLS: relay ended ({})", e.getClass().getSimpleName());
        } finally {
            closeBoth(from, to);
        }
    }

    private void closeBoth(Socket a, Socket b) {
        for (Socket socket : new Socket[] {a, b}) {
            open.remove(socket);
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all that is left to do with it
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        open.forEach(socket -> {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all that is left to do with it
            }
        });
        relays.shutdownNow();
    }
}
