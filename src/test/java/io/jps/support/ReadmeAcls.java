package io.jps.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.AclCommand;

/**
 * The {@code kafka-acls.sh} commands of the README's "Running against a secured cluster" section, run as they are
 * written by Kafka's own ACL command, so that what users are told to grant is exactly what the tests grant.
 */
public final class ReadmeAcls {

    private static final Path README = Path.of("README.md");
    private static final String SECTION = "## Running against a secured cluster";
    private static final String COMMAND = "kafka-acls.sh";

    private final List<List<String>> commands;

    private ReadmeAcls(List<List<String>> commands) {
        this.commands = commands;
    }

    public static ReadmeAcls read() throws IOException {
        String readme = Files.readString(README);
        int section = readme.indexOf(SECTION);
        if (section < 0) {
            throw new IllegalStateException(README + " has no section \"" + SECTION + "\"");
        }
        String block = shellBlockWith(readme.substring(section), COMMAND);
        List<List<String>> commands = new ArrayList<>();
        for (String line : block.replace("\\\n", " ").split("\n")) {
            String command = line.strip();
            if (command.startsWith(COMMAND)) {
                commands.add(List.of(command.substring(COMMAND.length()).strip().split("\\s+")));
            } else if (!command.isEmpty() && !command.startsWith("#")) {
                throw new IllegalStateException("not a kafka-acls command in the README's ACL block: " + command);
            }
        }
        return new ReadmeAcls(List.copyOf(commands));
    }

    /** How many ACL bindings the commands add: each operation on each resource named. */
    public int bindings() {
        return commands.stream().mapToInt(args -> count(args, "--operation")
                * (count(args, "--topic") + count(args, "--group") + count(args, "--transactional-id") + count(args, "--cluster")))
                .sum();
    }

    /** Runs every command against {@code bootstrapServers} as the principal of {@code adminProperties}. */
    public void grant(String bootstrapServers, Path adminProperties) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        // the command ends the JVM on failure; here it fails the test instead
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("kafka-acls exited with " + status + ": " + printed.toString(StandardCharsets.UTF_8));
        });
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            for (List<String> args : commands) {
                AclCommand.main(args.stream()
                        .map(arg -> arg.equals("$BOOTSTRAP") ? bootstrapServers : arg)
                        .map(arg -> arg.equals("admin.properties") ? adminProperties.toString() : arg)
                        .toArray(String[]::new));
            }
        } finally {
            System.setOut(stdout);
            Exit.resetExitProcedure();
        }
    }

    private static int count(List<String> args, String option) {
        return (int) args.stream().filter(option::equals).count();
    }

    private static String shellBlockWith(String text, String needle) {
        String[] parts = text.split("```");
        // the odd parts are inside fences, each starting with the fence's language
        return IntStream.range(0, parts.length).filter(i -> i % 2 == 1).mapToObj(i -> parts[i])
                .filter(part -> part.startsWith("sh\n") && part.contains(needle)).findFirst()
                .map(part -> part.substring("sh\n".length()))
                .orElseThrow(() -> new IllegalStateException("no ```sh block with " + needle + " in " + SECTION));
    }
}
