package io.jps.open;

import io.jps.engine.Engine;
import io.jps.support.Engines;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * One engine, its forger and its refusal checker, shared by the tests of a class. The clock is fixed so that
 * nothing depends on wall time: the instant of the seed's Juspay answers (iat 1771236393).
 */
final class Bench implements AutoCloseable {

    static final Instant NOW = Instant.ofEpochSecond(1_771_236_393L);
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    final Engine engine;
    final Forgery forge;
    final Refusals refusals;

    private Bench(Engine engine) {
        this.engine = engine;
        this.forge = new Forgery(engine);
        this.refusals = new Refusals(engine, forge);
    }

    static Bench start() {
        return new Bench(Engines.engine(Engines.config(null), CLOCK));
    }

    /** With a configuration overlay (YAML, same shape as topology/pipeline.yaml). */
    static Bench start(String overlayYaml) {
        return new Bench(Engines.engine(Engines.config(overlayYaml), CLOCK));
    }

    @Override
    public void close() {
        engine.close();
    }
}
