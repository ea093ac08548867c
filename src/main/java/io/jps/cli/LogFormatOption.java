package io.jps.cli;

import io.jps.observe.LogFormat;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --log-format text|json}, for the commands that run for long and log as they go. */
final class LogFormatOption {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "text (default: for a terminal) or json (one object a line, with requestId, provider, account and "
                    + "stage of the record a line is about, for a log collector)")
    void select(String name) {
        LogFormat format;
        try {
            format = LogFormat.parse(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--log-format must be text or json");
        }
        format.apply();
    }
}
