package io.jps.cli;

import picocli.CommandLine.Command;

@Command(name = "refunds", mixinStandardHelpOptions = true, description = "Batch refunds from a CSV or JSONL file.",
        subcommands = {RefundsSubmitCommand.class, RefundsStatusCommand.class})
final class RefundsCommand {
}
