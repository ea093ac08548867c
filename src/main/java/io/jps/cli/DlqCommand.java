package io.jps.cli;

import picocli.CommandLine.Command;

@Command(name = "dlq", mixinStandardHelpOptions = true, description = "Inspects dead-letter topics and replays their records.",
        subcommands = {DlqInspectCommand.class, DlqReplayCommand.class})
final class DlqCommand {
}
