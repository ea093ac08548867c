package io.jps.cli;

import io.jps.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The one executable: {@code java -jar jose-payment-streams.jar <command>}. */
@Command(name = "jps",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "JOSE Payment Streams: seals payment requests per provider, dispatches them, opens the answers.",
        subcommands = {DemoCommand.class, RunCommand.class, SealCommand.class, OpenCommand.class, KeysCommand.class, SandboxCommand.class,
                RefundsCommand.class, DlqCommand.class, BenchCommand.class})
public final class Main {

    /** The command was used wrongly, or the configuration or keys are bad. */
    static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command in this process, as {@code main} does, and returns its exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The same, writing to {@code out} and {@code err} instead of the process's own streams. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = commandLine();
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine.execute(args);
    }

    private static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            if (exception instanceof ConfigException) {
                cmd.getErr().println(exception.getMessage());
                return EXIT_USAGE;
            }
            throw exception;
        });
        return commandLine;
    }
}
