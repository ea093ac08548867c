package io.jps.bench;

import io.jps.config.PipelineConfig;
import io.jps.engine.Engine;
import io.jps.keys.KeyRing;
import io.jps.keys.KeysetGenerator;
import io.jps.keys.KeysetLayout;
import io.jps.keys.KeysetLoader;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.ProviderResponse;
import io.jps.record.SentRequest;
import io.jps.sandbox.ProviderCrypto;
import io.jps.seal.Sealed;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Measures seal/s and open/s per provider, on one thread and on all cores, against this machine's raw
 * RSA-2048 private-key rate measured in the same run: the ratio says how close the engine gets to the
 * hardware limit (a seal costs one signature, an open one decryption, where the profile has them).
 */
public final class SealOpenBenchmark {

    private static final int DISTINCT_ANSWERS = 64;

    public record Options(Duration warmup, Duration duration, int threads, List<String> providers) {
    }

    public record Row(String provider, double sealOne, double sealAll, double openOne, double openAll) {
    }

    public record Report(String backend, int threads, RawRsaSpeed.Rate rawOne, RawRsaSpeed.Rate rawAll, List<Row> rows) {
    }

    private SealOpenBenchmark() {
    }

    public static Report run(PipelineConfig config, Options options, PrintWriter progress) throws Exception {
        Path dir = Files.createTempDirectory("jps-bench-");
        try {
            Path keys = dir.resolve("keys");
            Path sandboxKeys = dir.resolve("sandbox-keys");
            for (String provider : options.providers()) {
                KeysetGenerator.generate(config.providers().get(provider), "default", keys, sandboxKeys, false);
            }
            Measurement measurement = new Measurement(options.warmup(), options.duration());
            try (Engine engine = Engine.create(config, keys, Map.of(), Clock.systemUTC())) {
                progress.println("crypto backend: " + engine.backend().description() + "; measuring raw RSA-2048 sign/s ...");
                progress.flush();
                int seconds = (int) Math.max(1, options.duration().toSeconds());
                RawRsaSpeed.Rate rawOne = RawRsaSpeed.openssl(1, seconds).orElse(RawRsaSpeed.jdk(1, measurement));
                RawRsaSpeed.Rate rawAll = RawRsaSpeed.openssl(options.threads(), seconds)
                        .orElse(RawRsaSpeed.jdk(options.threads(), measurement));
                ProviderCrypto provider = new ProviderCrypto(config.providers(), new KeyRing(sandboxKeys,
                        new KeysetLoader(engine.backend(), KeysetLayout.SANDBOX, Map.of(), config.providers()), Duration.ofHours(1),
                        engine.clock()), engine.backend(), engine.clock(), engine.joseOpener());
                List<Row> rows = new ArrayList<>();
                for (String name : options.providers()) {
                    progress.println("measuring " + name + " ...");
                    progress.flush();
                    rows.add(measure(engine, provider, name, measurement, options.threads()));
                }
                return new Report(engine.backend().description(), options.threads(), rawOne, rawAll, rows);
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static Row measure(Engine engine, ProviderCrypto provider, String name, Measurement measurement, int threads)
            throws Exception {
        PaymentRequest request = SampleRequests.forProvider(name, "default", "bench-1");
        List<ProviderResponse> answers = new ArrayList<>();
        List<SentRequest> sent = new ArrayList<>();
        for (int i = 0; i < DISTINCT_ANSWERS; i++) {
            Sealed sealed = engine.sealer().seal(SampleRequests.forProvider(name, "default", "bench-" + i));
            var opened = provider.openRequest(name, "default", sealed.request().path(), sealed.request().body());
            String body = provider.sealAnswer(name, "default", opened.payload(), ProviderCrypto.AnswerMode.NORMAL, null);
            long now = engine.clock().millis();
            answers.add(new ProviderResponse("bench-" + i, name, "default", 200, Map.of(), body, 1, now, now));
            sent.add(sealed.sent());
        }
        AtomicInteger next = new AtomicInteger();
        Measurement.Operation seal = () -> engine.sealer().seal(request);
        Measurement.Operation open = () -> {
            int i = Math.floorMod(next.getAndIncrement(), DISTINCT_ANSWERS);
            engine.opener().open(answers.get(i), sent.get(i));
        };
        return new Row(name, measurement.run(1, seal), measurement.run(threads, seal),
                measurement.run(1, open), measurement.run(threads, open));
    }

    public static void print(Report report, PrintWriter out) {
        out.printf("%nraw RSA-2048 private-key rate: %,.0f sign/s on 1 thread (%s)%n", report.rawOne().signsPerSecond(),
                report.rawOne().source());
        out.printf("                               %,.0f sign/s on %d threads (%s)%n", report.rawAll().signsPerSecond(),
                report.threads(), report.rawAll().source());
        out.printf("crypto backend: %s; payload ~1 KB; ratio = operations/s / raw sign/s on the same threads%n%n",
                report.backend());
        out.printf("%-10s %12s %7s %12s %7s %12s %7s %12s %7s%n", "provider", "seal/s 1T", "ratio",
                "seal/s " + report.threads() + "T", "ratio", "open/s 1T", "ratio", "open/s " + report.threads() + "T", "ratio");
        for (Row row : report.rows()) {
            out.printf("%-10s %,12.0f %7.2f %,12.0f %7.2f %,12.0f %7.2f %,12.0f %7.2f%n", row.provider(),
                    row.sealOne(), row.sealOne() / report.rawOne().signsPerSecond(),
                    row.sealAll(), row.sealAll() / report.rawAll().signsPerSecond(),
                    row.openOne(), row.openOne() / report.rawOne().signsPerSecond(),
                    row.openAll(), row.openAll() / report.rawAll().signsPerSecond());
        }
        out.println("\njuspay and socure cost one RSA private-key operation per seal and per open, so their ratios are");
        out.println("the measure; wise seals and portone seals/opens use no private key and run above the RSA limit.");
        out.flush();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
