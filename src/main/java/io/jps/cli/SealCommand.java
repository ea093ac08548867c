package io.jps.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jps.engine.Engine;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.SealedRequest;
import io.jps.seal.SealFailure;
import io.jps.seal.Sealed;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "seal", mixinStandardHelpOptions = true,
        description = {"Seals one payload (JSON on stdin) offline and prints the SealedRequest JSON.",
                "Exit 0 when sealed; 1 with REASON_CODE: message on stderr when not."})
final class SealCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--provider", required = true, description = "provider profile, e.g. juspay, wise, socure, portone")
    String provider;

    @Option(names = "--account", defaultValue = "default", description = "account (keys/<provider>/<account>/)")
    String account;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--operation", description = "an entry of the provider's operation table, e.g. refund")
        String operation;

        @ArgGroup(exclusive = false)
        Explicit explicit;
    }

    static final class Explicit {
        @Option(names = "--method", required = true)
        String method;

        @Option(names = "--path", required = true)
        String path;
    }

    @Option(names = "--request-id", description = "requestId to use (default: a random one)")
    String requestId;

    @Option(names = "--with-credentials",
            description = "add the credential headers the dispatcher would add at send time (for trying a request by hand)")
    boolean withCredentials;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JsonNode payload;
        try {
            payload = Json.parseObject(System.in.readAllBytes());
        } catch (Json.MalformedJsonException e) {
            err.println("MALFORMED: payload on stdin is " + e.getMessage());
            return 1;
        }
        String id = requestId != null ? requestId : "cli-" + UUID.randomUUID();
        PaymentRequest request = new PaymentRequest(id, provider, account, target.operation,
                target.explicit == null ? null : target.explicit.method, target.explicit == null ? null : target.explicit.path,
                null, payload);
        try (Engine engine = common.engine()) {
            Sealed sealed = engine.sealer().seal(request);
            SealedRequest result = sealed.request();
            if (withCredentials) {
                Map<String, String> headers = new LinkedHashMap<>(result.headers());
                headers.putAll(engine.credentials().headersFor(result));
                result = new SealedRequest(result.requestId(), result.provider(), result.account(), result.method(),
                        result.path(), headers, result.body(), result.sealedAt());
            }
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
            if (sealed.wrappedCek() != null) {
                err.println("wrapped content key: " + sealed.wrappedCek()
                        + "  (give it to `open --wrapped-cek` to open an alg:dir answer)");
            }
            return 0;
        } catch (SealFailure e) {
            err.println(e.reason() + ": " + e.getMessage());
            return 1;
        }
    }
}
