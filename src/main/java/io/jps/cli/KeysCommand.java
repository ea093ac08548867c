package io.jps.cli;

import io.jps.attest.AttestationKey;
import io.jps.config.PipelineConfig;
import io.jps.keys.KeysetGenerator;
import io.jps.profile.ProfileValidator;
import io.jps.profile.ProviderProfile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manages keysets.",
        subcommands = KeysCommand.Generate.class)
final class KeysCommand {

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Makes a fresh keyset for one provider and account under --keys, and the matching",
                    "provider-side keyset for the sandbox under --sandbox-keys."})
    static final class Generate implements Callable<Integer> {

        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--provider", required = true)
        String provider;

        @Option(names = "--account", defaultValue = "default")
        String account;

        @Option(names = "--sandbox-keys", paramLabel = "DIR", defaultValue = "sandbox-keys",
                description = "where the provider side goes (default: ${DEFAULT-VALUE})")
        Path sandboxKeys;

        @Option(names = "--force", description = "replace an existing keyset")
        boolean force;

        @Override
        public Integer call() throws IOException, GeneralSecurityException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            PipelineConfig config = common.loadConfig();
            ProviderProfile profile = config.providers().get(provider);
            if (profile == null) {
                err.println("UNKNOWN_PROVIDER: no profile '" + provider + "' (known: "
                        + String.join(", ", config.providers().keySet().stream().sorted().toList()) + ")");
                return Main.EXIT_USAGE;
            }
            if (!ProfileValidator.NAME.matcher(account).matches()) {
                err.println("MALFORMED: an account name is letters, digits, '-' and '_'");
                return Main.EXIT_USAGE;
            }
            try {
                KeysetGenerator.Generated generated = KeysetGenerator.generate(profile, account, common.keys, sandboxKeys, force);
                out.println("keyset:          " + generated.keyset() + " " + generated.files());
                out.println("sandbox keyset:  " + generated.sandboxKeyset() + " " + generated.sandboxFiles());
                // Never replaced, not even with --force: every running stage of the deployment shares it.
                if (AttestationKey.createIfAbsent(common.keys)) {
                    out.println("attestation key: " + common.keys.resolve(AttestationKey.FILE)
                            + " (copy it to every seal-open and dispatcher instance)");
                }
                return 0;
            } catch (FileAlreadyExistsException e) {
                err.println(e.getFile());
                return 1;
            }
        }
    }
}
