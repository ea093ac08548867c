package io.jps.engine;

import io.jps.attest.AttestationKey;
import io.jps.attest.AttestationKeyException;
import io.jps.attest.Attestor;
import io.jps.config.PipelineConfig;
import io.jps.keys.CryptoBackend;
import io.jps.keys.KeyRing;
import io.jps.keys.KeysetLayout;
import io.jps.keys.KeysetLoader;
import io.jps.open.AnswerOpener;
import io.jps.open.JoseOpener;
import io.jps.seal.JoseSealer;
import io.jps.seal.PaymentRequestParser;
import io.jps.seal.RequestSealer;
import io.jps.seal.SendTimeCredentials;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The seal/open engine wired from one configuration and one keys directory: what the topology, the
 * dispatcher and the offline commands all use, so that they agree on profiles, keys and clock.
 */
public final class Engine implements AutoCloseable {

    private final PipelineConfig config;
    private final CryptoBackend backend;
    private final KeyRing keyRing;
    private final Clock clock;
    private final PaymentRequestParser requestParser;
    private final RequestSealer sealer;
    private final AnswerOpener opener;
    private final SendTimeCredentials credentials;
    private final Path keysDir;
    private Attestor attestor;

    private Engine(PipelineConfig config, CryptoBackend backend, KeyRing keyRing, Path keysDir, Clock clock) {
        this.keysDir = keysDir;
        this.config = config;
        this.backend = backend;
        this.keyRing = keyRing;
        this.clock = clock;
        this.requestParser = new PaymentRequestParser(config.limits().maxRequestBytes());
        this.sealer = new RequestSealer(config.providers(), keyRing, new JoseSealer(backend), clock);
        this.opener = new AnswerOpener(config.providers(), keyRing, joseOpener(), clock, config.limits().maxAnswerBytes());
        this.credentials = new SendTimeCredentials(config.providers(), keyRing, clock);
    }

    public static Engine create(PipelineConfig config, Path keysDir, Map<String, String> environment, Clock clock) {
        CryptoBackend backend = CryptoBackend.select(config.crypto().provider());
        KeyRing keyRing = new KeyRing(keysDir,
                new KeysetLoader(backend, KeysetLayout.MERCHANT, environment, config.providers()),
                config.keys().reloadInterval(), clock);
        return new Engine(config, backend, keyRing, keysDir, clock);
    }

    /** Starts watching the keys directory for changes (long-running stages; one-shot commands skip it). */
    public Engine watchKeys() {
        keyRing.startWatching();
        return this;
    }

    /** A JOSE opener with this engine's backend, clock and skew (the sandbox opens requests with it too). */
    public JoseOpener joseOpener() {
        return new JoseOpener(backend, config.open().clockSkew());
    }

    public PipelineConfig config() {
        return config;
    }

    public CryptoBackend backend() {
        return backend;
    }

    public KeyRing keyRing() {
        return keyRing;
    }

    public Clock clock() {
        return clock;
    }

    public PaymentRequestParser requestParser() {
        return requestParser;
    }

    public RequestSealer sealer() {
        return sealer;
    }

    public AnswerOpener opener() {
        return opener;
    }

    public SendTimeCredentials credentials() {
        return credentials;
    }

    /**
     * The attestations of this deployment, from {@code <keys>/attestation.key}: read when first asked for, so that
     * the offline commands, which neither send nor receive records, do without one.
     */
    public synchronized Attestor attestor() throws AttestationKeyException {
        if (attestor == null) {
            attestor = new Attestor(AttestationKey.read(keysDir), backend);
        }
        return attestor;
    }

    @Override
    public void close() {
        keyRing.close();
    }
}
