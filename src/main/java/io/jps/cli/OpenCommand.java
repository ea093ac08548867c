package io.jps.cli;

import io.jps.engine.Engine;
import io.jps.open.OpenFailure;
import io.jps.record.Json;
import io.jps.record.PaymentResult;
import io.jps.record.ProviderResponse;
import io.jps.record.SentRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "open", mixinStandardHelpOptions = true,
        description = {"Opens one provider answer (HTTP body on stdin) offline, as the open stage would.",
                "Prints the verified plaintext and exits 0, or prints REASON_CODE: message on stderr and exits 1:",
                "the tool for \"why does this answer fail to verify?\"."})
final class OpenCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--provider", required = true)
    String provider;

    @Option(names = "--account", defaultValue = "default")
    String account;

    @Option(names = "--status", defaultValue = "200", description = "the HTTP status the answer came with (default: 200)")
    int status;

    @Option(names = "--header", paramLabel = "K=V", description = "an answer header")
    Map<String, String> headers = new LinkedHashMap<>();

    @Option(names = "--operation", description = "the operation the request was sent for (it decides how its answer is opened)")
    String operation;

    @Option(names = "--wrapped-cek", paramLabel = "KEY",
            description = "the request's wrapped content key, as `seal` prints it: opens a Wise alg:dir answer")
    String wrappedCek;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String body = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        try (Engine engine = common.engine()) {
            long now = engine.clock().millis();
            ProviderResponse response = new ProviderResponse("cli", provider, account, status, headers, body, 1, now, now);
            PaymentResult result = engine.opener().open(response, new SentRequest(provider, account, operation, now, wrappedCek, null));
            out.println(result.payload() == null ? "" : Json.write(result.payload()));
            err.println(result.outcome() + " (HTTP " + status + ")"
                    + (result.verifiedKid() == null ? ", not signed" : ", signature verified with kid " + result.verifiedKid()));
            return 0;
        } catch (OpenFailure e) {
            err.println(e.reason() + ": " + e.getMessage());
            return 1;
        }
    }
}
