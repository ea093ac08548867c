package io.jps.cli;

import io.jps.config.ConfigLoader;
import io.jps.config.PipelineConfig;
import io.jps.engine.Engine;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/** The options every command takes: where the keys are, and which configuration overlays the built-in one. */
final class CommonOptions {

    @Option(names = "--keys", paramLabel = "DIR", defaultValue = "keys",
            description = "keysets directory: <provider>/<account>/ (default: ${DEFAULT-VALUE})")
    Path keys;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML overlaid on the built-in topology/pipeline.yaml, before JPS_* environment variables")
    Path config;

    PipelineConfig loadConfig() {
        return ConfigLoader.load(config, System.getenv());
    }

    Engine engine() {
        return Engine.create(loadConfig(), keys, System.getenv(), Clock.systemUTC());
    }
}
