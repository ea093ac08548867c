package io.jps.support;

import io.jps.config.ConfigLoader;
import io.jps.config.PipelineConfig;
import io.jps.engine.Engine;
import io.jps.keys.KeyRing;
import io.jps.keys.KeysetLayout;
import io.jps.keys.KeysetLoader;
import io.jps.sandbox.ProviderCrypto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Engines for tests: ours over {@link TestKeys#keys()}, and the provider's side over the sandbox keys. */
public final class Engines {

    private Engines() {
    }

    public static PipelineConfig config(String overlayYaml) {
        if (overlayYaml == null) {
            return ConfigLoader.defaults();
        }
        try {
            Path file = Files.createTempFile(Path.of("target"), "overlay-", ".yaml");
            Files.writeString(file, overlayYaml);
            return ConfigLoader.load(file, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Engine engine(PipelineConfig config, Clock clock) {
        return Engine.create(config, TestKeys.keys(), Map.of(), clock);
    }

    public static Engine engine() {
        return engine(ConfigLoader.defaults(), Clock.systemUTC());
    }

    /** The provider's side of a keyset (its private key, our public key), as the sandbox holds it. */
    public static io.jps.keys.Keyset providerKeyset(Engine engine, String provider, String account) {
        try {
            return new KeysetLoader(engine.backend(), KeysetLayout.SANDBOX, Map.of(), engine.config().providers())
                    .load(TestKeys.sandboxKeys().resolve(provider).resolve(account), new io.jps.keys.KeysetId(provider, account));
        } catch (io.jps.keys.KeysetException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    public static ProviderCrypto provider(Engine engine) {
        return provider(engine, TestKeys.sandboxKeys());
    }

    /** The providers' side over {@code sandboxKeysDir} (a {@link TestKeys#copyOfSandboxKeys()}, say). */
    public static ProviderCrypto provider(Engine engine, Path sandboxKeysDir) {
        KeyRing sandboxKeys = new KeyRing(sandboxKeysDir,
                new KeysetLoader(engine.backend(), KeysetLayout.SANDBOX, Map.of(), engine.config().providers()), Duration.ofSeconds(1), engine.clock());
        return new ProviderCrypto(engine.config().providers(), sandboxKeys, engine.backend(), engine.clock(), engine.joseOpener());
    }
}
