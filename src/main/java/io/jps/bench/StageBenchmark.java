package io.jps.bench;

import io.jps.app.Role;
import io.jps.attest.AttestationKey;
import io.jps.attest.Attestor;
import io.jps.config.ConfigLoader;
import io.jps.config.PipelineConfig;
import io.jps.config.TopicSpec;
import io.jps.config.Topics;
import io.jps.dispatch.Dispatcher;
import io.jps.dispatch.OutcomeRecords;
import io.jps.engine.Engine;
import io.jps.kafka.EmbeddedKafka;
import io.jps.kafka.KafkaConnection;
import io.jps.kafka.TopicAdmin;
import io.jps.keys.KeyRing;
import io.jps.keys.KeysetGenerator;
import io.jps.keys.KeysetLayout;
import io.jps.keys.KeysetLoader;
import io.jps.observe.PipelineMetrics;
import io.jps.profile.ProviderProfile;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.ProviderResponse;
import io.jps.record.SealedRequest;
import io.jps.sandbox.ProviderCrypto;
import io.jps.sandbox.ProviderSandbox;
import io.jps.sandbox.SandboxSettings;
import io.jps.topology.HeaderNames;
import io.jps.topology.PipelineTopics;
import io.jps.topology.RecordIdentity;
import io.jps.topology.SealOpenStages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;

/**
 * {@code bench --stage seal|open|loop}: a Kafka stage of the pipeline on the embedded broker, in this JVM or in app
 * processes of their own, measured the way an operator would: records preloaded, then timed from letting the stage go to its last output record,
 * against this machine's raw RSA rate measured in the same run. Then latency at half that throughput, paced, so that queueing in front of the
 * stage does not pass for its latency; and where the CPU went, since the broker (and for the loop the sandbox)
 * shares the cores with the stage.
 */
public final class StageBenchmark {

    public enum Stage { SEAL, OPEN, LOOP }

    /**
     * @param warmupRecords records a warm-up round runs through the stage before the measured ones
     * @param settle        warm up until the JIT compiler has done its work (in this JVM of broker, clients and Streams it
     *                      takes most of a core for a minute or more, and would be measured otherwise), not one round only
     * @param threads     stream threads of the seal/open stages (of each app process, with {@code processes})
     * @param processes   app processes of their own that run the stages (and for the loop the dispatcher), sharing the
     *                    load the Kafka way; 0 runs them in this JVM
     * @param partitions  partitions of the requests, sealed and responses topics
     * @param latencyLoad the share of the measured throughput the paced latency phase runs at
     * @param kafkaProperties more Kafka client properties (tuning to try), or null
     */
    public record Options(Stage stage, int records, int warmupRecords, boolean settle, int threads, int processes,
                          int partitions, String provider, double latencyLoad, Path kafkaProperties) {
        /** The stream threads of all the stages together: what raw RSA is measured on. */
        int allThreads() {
            return threads * Math.max(1, processes);
        }
    }

    /** What was measured. */
    public record Report(Options options, RawRsaSpeed.Rate raw, int privateKeyOperations, double recordsPerSecond,
                         double latencyRate, long latencyRecords, double p50Millis, double p99Millis,
                         CpuAccount.Shares cpu, String streamThreads, List<Long> heapLowsMiB) {
        /** The best this stage could do on this machine: raw RSA over the private-key operations a record costs. */
        double limit() {
            return privateKeyOperations == 0 ? Double.NaN : raw.signsPerSecond() / privateKeyOperations;
        }
    }

    private static final String ACCOUNT = "default";
    private static final Duration PATIENCE = Duration.ofMinutes(15);
    private static final Duration MAX_WARMUP = Duration.ofMinutes(4);
    /** Below this the compiler no longer changes what is measured by more than the machine's own noise. */
    private static final double SETTLED_JIT_CORES = 0.05;

    private StageBenchmark() {
    }

    public static Report run(Options options, PrintWriter progress) throws Exception {
        Path dir = Files.createTempDirectory("jps-bench-stage-");
        try {
            return new Run(options, dir, progress).measure();
        } finally {
            Utils.delete(dir.toFile());
        }
    }

    public static void print(Report report, PrintWriter out) {
        Options options = report.options();
        out.printf(Locale.ROOT, "%nraw RSA-2048 private-key rate: %,.0f sign/s on %d thread(s) (%s)%n", report.raw().signsPerSecond(),
                options.allThreads(), report.raw().source());
        boolean loop = options.stage() == Stage.LOOP;
        out.printf(Locale.ROOT, "stage %s (%s), %,d records preloaded after warming up in rounds of %,d%s, %d stream thread(s)%s, "
                        + "%d partitions; %s%n", options.stage().name().toLowerCase(Locale.ROOT), options.provider(),
                options.records(), options.warmupRecords(), options.settle() ? " until the JIT compiler settled" : " (one round)",
                options.threads(), options.processes() > 0 ? " in each of " + options.processes() + " app processes" : "",
                options.partitions(), options.processes() > 0
                        ? "broker" + (loop ? " and sandbox" : "") + " in this JVM, the stages" + (loop ? " and a dispatcher" : "")
                        + " in each app process"
                        : "broker" + (loop ? ", sandbox and dispatcher" : "") + " in this JVM");
        if (report.privateKeyOperations() == 0) {
            out.printf(Locale.ROOT, "  throughput %,.0f records/s (no RSA private-key operation per record: no RSA limit)%n",
                    report.recordsPerSecond());
        } else {
            out.printf(Locale.ROOT, "  throughput %,.0f records/s = %.2f of the limit %,.0f/s (raw RSA / %d private-key operation(s) "
                            + "per record)%n", report.recordsPerSecond(), report.recordsPerSecond() / report.limit(), report.limit(),
                    report.privateKeyOperations());
        }
        out.printf(Locale.ROOT, "  latency at %.0f%% of that (%,.0f records/s, %,d records): p50 %.1f ms, p99 %.1f ms%n",
                100 * options.latencyLoad(), report.latencyRate(), report.latencyRecords(), report.p50Millis(), report.p99Millis());
        out.println("  CPU while measuring throughput: " + report.cpu().describe());
        out.println("  stream threads' time: " + report.streamThreads());
        out.println("  heap in use" + (options.processes() > 0 ? " in this JVM" : "") + ", lowest in each tenth of the run (MiB): "
                + report.heapLowsMiB());
        out.printf(Locale.ROOT, "  reproduce: java -jar target/jose-payment-streams.jar bench --stage %s --records %d "
                        + "--warmup-records %d%s --threads %d%s --partitions %d --providers %s%s%n",
                options.stage().name().toLowerCase(Locale.ROOT), options.records(), options.warmupRecords(),
                options.settle() ? "" : " --no-settle", options.threads(),
                options.processes() > 0 ? " --processes " + options.processes() : "", options.partitions(), options.provider(),
                options.kafkaProperties() == null ? "" : " --kafka-properties " + options.kafkaProperties());
        out.flush();
    }

    /** One benchmark's broker, keys, configuration and clients. */
    private static final class Run {
        private final Options options;
        private final Path dir;
        private final PrintWriter progress;
        private final PipelineConfig config;
        private final ProviderProfile profile;
        private final int latencyRecords;

        Run(Options options, Path dir, PrintWriter progress) {
            this.options = options;
            this.dir = dir;
            this.progress = progress;
            this.config = ConfigLoader.defaults();
            this.profile = config.providers().get(options.provider());
            if (profile == null) {
                throw new IllegalArgumentException("no provider '" + options.provider() + "'");
            }
            this.latencyRecords = Math.max(20, Math.min(2_000, options.records() / 5));
        }

        Report measure() throws Exception {
            say("generating keys; measuring raw RSA-2048 on " + options.allThreads() + " thread(s) ...");
            Path keys = dir.resolve("keys");
            Path sandboxKeys = dir.resolve("sandbox-keys");
            KeysetGenerator.generate(profile, ACCOUNT, keys, sandboxKeys, false);
            AttestationKey.createIfAbsent(keys);
            int seconds = 5;
            RawRsaSpeed.Rate raw = RawRsaSpeed.openssl(options.allThreads(), seconds)
                    .orElse(RawRsaSpeed.jdk(options.allThreads(), new Measurement(Duration.ofSeconds(1), Duration.ofSeconds(seconds))));
            say("starting the embedded broker ...");
            try (EmbeddedKafka broker = EmbeddedKafka.start(dir);
                 HeapSampler heap = new HeapSampler()) {
                SandboxSettings sandboxSettings = SandboxSettings.wellBehaved(sandboxKeys);
                try (ProviderSandbox sandbox = options.stage() == Stage.LOOP
                        ? ProviderSandbox.start(config, sandboxSettings, Clock.systemUTC()) : null) {
                    Path overlay = overlay(broker.bootstrapServers(), sandbox);
                    PipelineConfig benchConfig = ConfigLoader.load(overlay, Map.of());
                    Path clientProperties = clientProperties();
                    KafkaConnection kafka = KafkaConnection.of(broker.bootstrapServers(), clientProperties);
                    PipelineTopics topics = new PipelineTopics(benchConfig);
                    try (Admin admin = kafka.admin()) {
                        TopicAdmin.ensure(admin, topics.toCreate());
                    }
                    try (Engine engine = Engine.create(benchConfig, keys, Map.of(), Clock.systemUTC());
                         OutputClock output = new OutputClock(kafka, options.stage() == Stage.SEAL
                                 ? topics.sealed().name() : topics.resultTopicOf(options.provider()));
                         UnderTest underTest = underTest(engine, topics, kafka, overlay, keys, clientProperties)) {
                        Measured measured = options.stage() == Stage.OPEN
                                ? open(engine, topics, kafka, sandboxKeys, output, underTest)
                                : throughRequests(topics, kafka, output, underTest);
                        Throughput throughput = measured.throughput();
                        Latency latency = measured.latency();
                        return new Report(options, raw, privateKeyOperations(), throughput.perSecond(), latency.rate(),
                                latencyRecords, latency.p50(), latency.p99(), throughput.cpu(), throughput.streamThreads(),
                                heap.lowsMiB(10));
                    }
                }
            }
        }

        private record Measured(Throughput throughput, Latency latency) {
        }

        /** The stages (and for the loop the dispatcher) under test: in this JVM, or app processes of their own. */
        private UnderTest underTest(Engine engine, PipelineTopics topics, KafkaConnection kafka, Path config, Path keys,
                                    Path clientProperties) throws Exception {
            if (options.processes() > 0) {
                say("starting " + options.processes() + " app processes ...");
                return new InProcesses(AppProcesses.start(options.processes(), options.stage() == Stage.LOOP ? Role.ALL : Role.SEAL_OPEN,
                        config, keys, clientProperties, dir));
            }
            say("starting the seal/open stages ...");
            SealOpenStages stages = SealOpenStages.start(engine, engine.attestor(), topics, metrics(), kafka, dir.resolve("state"));
            try {
                return new InThisJvm(stages, options.stage() == Stage.LOOP
                        ? Dispatcher.start(engine, engine.attestor(), topics, metrics(), kafka) : null);
            } catch (Exception | Error e) {
                stages.close();
                throw e;
            }
        }

        /** Requests in, the stage's output clocked: warm-up, then the preloaded batch, then the paced latency records. */
        private Measured throughRequests(PipelineTopics topics, KafkaConnection kafka, OutputClock output, UnderTest underTest)
                throws InterruptedException {
            warmUp(kafka, output, underTest, round -> requests("w" + round + "-", options.warmupRecords()).stream()
                    .map(r -> requestRecord(topics, r)).toList());
            List<PaymentRequest> batch = requests("t-", options.records());
            preload(kafka, output, batch.stream().map(r -> requestRecord(topics, r)).toList());
            Throughput throughput = throughput(output, batch.size(), underTest);
            List<PaymentRequest> paced = requests("l-", latencyRecords);
            Latency latency = paced(kafka, paced.stream().map(r -> requestRecord(topics, r)).toList(), output, underTest,
                    throughput.perSecond() * options.latencyLoad());
            return new Measured(throughput, latency);
        }

        /** Answers in (the requests they answer sealed by the stages under test beforehand), the results clocked. */
        private Measured open(Engine engine, PipelineTopics topics, KafkaConnection kafka, Path sandboxKeys, OutputClock results,
                              UnderTest underTest) throws InterruptedException {
            warmUp(kafka, results, underTest, round -> answered(engine, topics, kafka, sandboxKeys, "w" + round + "-",
                    options.warmupRecords()));
            List<ProducerRecord<byte[], byte[]>> answers = answered(engine, topics, kafka, sandboxKeys, "t-",
                    options.records() + latencyRecords);
            preload(kafka, results, answers.subList(0, options.records()));
            Throughput throughput = throughput(results, options.records(), underTest);
            Latency latency = paced(kafka, answers.subList(options.records(), answers.size()), results, underTest,
                    throughput.perSecond() * options.latencyLoad());
            return new Measured(throughput, latency);
        }

        /** Requests sealed by the running stages, and the provider's answers to them, not yet sent. */
        private List<ProducerRecord<byte[], byte[]>> answered(Engine engine, PipelineTopics topics, KafkaConnection kafka,
                                                              Path sandboxKeys, String prefix, int count) {
            say("sealing " + count + " requests to answer, and answering them as the provider would ...");
            produce(kafka, requests(prefix, count).stream().map(r -> requestRecord(topics, r)).toList());
            try {
                return answers(engine, topics, sandboxKeys, readAll(kafka, topics.sealed().name(), prefix, count));
            } catch (Exception e) {
                throw new IllegalStateException("cannot answer the sealed requests: " + e.getClass().getSimpleName(), e);
            }
        }

        private record Throughput(double perSecond, CpuAccount.Shares cpu, String streamThreads) {
        }

        /**
         * Runs records through the stage, a batch at a time, until the JIT compiler has settled (a broker, Kafka's clients
         * and Kafka Streams in one JVM keep it busy for a minute or more, on the same cores).
         */
        private void warmUp(KafkaConnection kafka, OutputClock output, UnderTest underTest,
                            java.util.function.IntFunction<List<ProducerRecord<byte[], byte[]>>> batch) throws InterruptedException {
            long deadline = System.nanoTime() + MAX_WARMUP.toNanos();
            List<Long> jvms = new ArrayList<>(underTest.appPids());
            jvms.add(ProcessHandle.current().pid());
            JitRate jit = new JitRate(jvms);
            for (int round = 0; ; round++) {
                List<ProducerRecord<byte[], byte[]>> records = batch.apply(round);
                say("warming up with " + records.size() + " records ...");
                int before = output.count();
                produce(kafka, records);
                if (!awaitCount(output, before + records.size(), underTest)) {
                    throw new IllegalStateException("only " + (output.count() - before) + " of " + records.size()
                            + " warm-up records came out");
                }
                double busy = jit.coresSinceLastAsked();
                if (!options.settle() || busy < SETTLED_JIT_CORES || System.nanoTime() > deadline) {
                    say(String.format(Locale.ROOT, "warm: the JIT compiler kept %.2f cores busy in the last round", busy));
                    break;
                }
            }
        }

        /** Puts the measured records on the topic; their transaction's commit lets the stage go, wherever it runs. */
        private void preload(KafkaConnection kafka, OutputClock output, List<ProducerRecord<byte[], byte[]>> records) {
            say("preloading " + records.size() + " records ...");
            produce(kafka, records, output::startMeasuring);
        }

        /** Waits until {@code count} records have come out, or the patience ran out (false); throws if an app process died. */
        private boolean awaitCount(OutputClock output, int count, UnderTest underTest) throws InterruptedException {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!output.awaitCount(count, Duration.ofSeconds(5))) {
                underTest.checkAlive();
                if (System.nanoTime() > deadline) {
                    return false;
                }
            }
            return true;
        }

        /** From letting the stage go to its last output record, the CPU spent meanwhile, and how the stream threads spent it. */
        private Throughput throughput(OutputClock output, int count, UnderTest underTest) throws InterruptedException {
            int total = output.measuredFrom() + count;
            say("measuring " + count + " records ...");
            CpuAccount cpu = CpuAccount.start(this::partOf, underTest.appPids(), StageBenchmark::appPartOf);
            if (!awaitCount(output, total, underTest)) {
                throw new IllegalStateException("only " + (output.count() - output.measuredFrom()) + " of " + count
                        + " output records within " + PATIENCE);
            }
            CpuAccount.Shares shares = cpu.stop();
            // From the moment the stage was let go, not from its first output: a stage that holds its outputs back and
            // lets them go in a burst must not look faster for it.
            double seconds = (output.lastNanos() - output.measuringSinceNanos()) / 1e9;
            return new Throughput(count / seconds, shares, underTest.streamThreads());
        }

        private record Latency(double rate, double p50, double p99) {
        }

        /** Sends {@code records} one by one at {@code rate} a second and times each to its output record. */
        private Latency paced(KafkaConnection kafka, List<ProducerRecord<byte[], byte[]>> records, OutputClock output,
                              UnderTest underTest, double rate) throws InterruptedException {
            say(String.format(Locale.ROOT, "latency: %d records paced at %.0f/s ...", records.size(), rate));
            int already = output.count();
            Map<String, Long> sent = new HashMap<>();
            long interval = (long) (1e9 / Math.max(1, rate));
            try (KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 0,
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.CLIENT_ID_CONFIG, "bench-paced"))) {
                long start = System.nanoTime();
                for (int i = 0; i < records.size(); i++) {
                    long due = start + i * interval;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    ProducerRecord<byte[], byte[]> record = records.get(i);
                    sent.put(RecordIdentity.text(record.headers(), HeaderNames.REQUEST_ID), System.nanoTime());
                    producer.send(record);
                }
            }
            if (!awaitCount(output, already + records.size(), underTest)) {
                throw new IllegalStateException("paced records did not all come out within " + PATIENCE);
            }
            double[] millis = sent.entrySet().stream().mapToDouble(e -> (output.arrival(e.getKey()) - e.getValue()) / 1e6).sorted()
                    .toArray();
            return new Latency(rate, percentile(millis, 0.50), percentile(millis, 0.99));
        }

        private PipelineMetrics metrics() {
            return new PipelineMetrics(new SimpleMeterRegistry(), config.providers().keySet());
        }

        /** Answers as the provider makes them, written as the dispatcher writes them: attested, to the sealed request's partition. */
        private List<ProducerRecord<byte[], byte[]>> answers(Engine engine, PipelineTopics topics, Path sandboxKeys,
                                                             List<ConsumerRecord<byte[], byte[]>> sealed) throws Exception {
            Attestor attestor = engine.attestor();
            ProviderCrypto crypto = new ProviderCrypto(config.providers(), new KeyRing(sandboxKeys,
                    new KeysetLoader(engine.backend(), KeysetLayout.SANDBOX, Map.of(), config.providers()), Duration.ofHours(1),
                    engine.clock()), engine.backend(), engine.clock(), engine.joseOpener());
            return IntStream.range(0, sealed.size()).parallel().mapToObj(i -> {
                try {
                    ConsumerRecord<byte[], byte[]> record = sealed.get(i);
                    SealedRequest request = Json.MAPPER.readValue(record.value(), SealedRequest.class);
                    var opened = crypto.openRequest(request.provider(), request.account(), request.path(), request.body());
                    byte[] echo = Json.writeBytes(Map.of("status", "SUCCESS", "requestId", request.requestId()));
                    String body = crypto.sealAnswer(request.provider(), request.account(), echo, ProviderCrypto.AnswerMode.NORMAL,
                            opened.contentKey());
                    long now = System.currentTimeMillis();
                    ProviderResponse response = new ProviderResponse(request.requestId(), request.provider(), request.account(), 200,
                            Map.of("Content-Type", "application/json"), body, 1, now - 5, now);
                    return OutcomeRecords.answer(topics, attestor, record, request, response);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot answer a sealed request: " + e.getClass().getSimpleName(), e);
                }
            }).toList();
        }

        private List<PaymentRequest> requests(String prefix, int count) {
            List<PaymentRequest> batch = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                batch.add(SampleRequests.forProvider(options.provider(), ACCOUNT, prefix + i));
            }
            return batch;
        }

        private ProducerRecord<byte[], byte[]> requestRecord(PipelineTopics topics, PaymentRequest request) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(HeaderNames.REQUEST_ID, request.requestId().getBytes(StandardCharsets.UTF_8));
            return new ProducerRecord<>(topics.requests().name(), null, request.recordKey().getBytes(StandardCharsets.UTF_8),
                    Json.writeBytes(request), headers);
        }

        private void produce(KafkaConnection kafka, List<ProducerRecord<byte[], byte[]>> records) {
            produce(kafka, records, () -> { });
        }

        /**
         * Writes {@code records} in one transaction: the stages read committed records only, so they see none of them
         * before it commits, and a preloaded batch goes at one moment however many processes read it.
         */
        private void produce(KafkaConnection kafka, List<ProducerRecord<byte[], byte[]>> records, Runnable beforeCommit) {
            try (KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 20,
                    ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.CLIENT_ID_CONFIG, "bench-preload",
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-preload-" + UUID.randomUUID(),
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) PATIENCE.toMillis()))) {
                producer.initTransactions();
                producer.beginTransaction();
                records.forEach(producer::send);
                producer.flush();
                beforeCommit.run();
                producer.commitTransaction();
            }
        }

        /** The records of {@code topic} whose requestId starts with {@code prefix}, once there are {@code count}. */
        private List<ConsumerRecord<byte[], byte[]>> readAll(KafkaConnection kafka, String topic, String prefix, int count) {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(Map.of(
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.CLIENT_ID_CONFIG, "bench-reader"))) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                long deadline = System.nanoTime() + PATIENCE.toNanos();
                while (records.size() < count && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        String id = RecordIdentity.text(record.headers(), HeaderNames.REQUEST_ID);
                        if (id != null && id.startsWith(prefix)) {
                            records.add(record);
                        }
                    }
                }
            }
            if (records.size() < count) {
                throw new IllegalStateException("only " + records.size() + " of " + count + " records on " + topic);
            }
            return records;
        }

        /** RSA private-key operations one record costs in this stage: the stage's limit is raw RSA over this. */
        private int privateKeyOperations() {
            // Signing and decrypting are private-key operations; encrypting and verifying use a public key, ~20x cheaper.
            int seal = profile.seal().signs() ? 1 : 0;
            int open = profile.open().decrypts() ? 1 : 0;
            int provider = (profile.seal().encrypts() ? 1 : 0) + (profile.open().verifies() ? 1 : 0);
            return switch (options.stage()) {
                case SEAL -> seal;
                case OPEN -> open;
                case LOOP -> seal + provider + open;
            };
        }

        private String partOf(String thread) {
            if (thread.contains("-StreamThread-") || thread.contains("StateUpdater") || thread.contains("bench-stage-")) {
                return "seal/open stages";
            }
            if (thread.startsWith("jps-dispatch") || thread.startsWith("HttpClient") || thread.contains("bench-dispatcher")) {
                return "dispatcher";
            }
            if (thread.startsWith("jps-sandbox")) {
                return "sandbox";
            }
            if (thread.startsWith("bench-") || thread.contains("| bench-")) {
                return "benchmark's own clients";
            }
            return "broker and the rest";
        }

        /** The embedded broker (replication 1), the benchmark's partitions, the sandbox's URLs, no rate limit. */
        private Path overlay(String bootstrapServers, ProviderSandbox sandbox) throws IOException {
            StringBuilder yaml = new StringBuilder("bootstrapServers: ").append(bootstrapServers).append('\n')
                    .append("applicationId: bench-stage-").append(options.stage().name().toLowerCase(Locale.ROOT)).append('\n')
                    .append("dispatcher: {groupId: bench-dispatcher, maxInFlight: 256, maxQueued: 20000}\n")
                    .append("topics:\n");
            for (RecordComponent topic : Topics.class.getRecordComponents()) {
                if (topic.getType() == TopicSpec.class) {
                    boolean coPartitioned = List.of("requests", "sealed", "responses", "results").contains(topic.getName());
                    yaml.append("  ").append(topic.getName()).append(": {replicationFactor: 1, minInsyncReplicas: 1")
                            .append(coPartitioned ? ", partitions: " + options.partitions() : "").append("}\n");
                }
            }
            if (sandbox != null) {
                yaml.append("providers:\n  ").append(options.provider()).append(":\n    baseUrl: ").append(sandbox.baseUrl(options.provider()))
                        .append("\n    allowPlainHttp: true\n    dispatch: {rateLimit: 0, maxInFlight: 256}\n");
            }
            Path file = dir.resolve("bench.yaml");
            Files.writeString(file, yaml);
            return file;
        }

        /** The stream threads asked for, as an operator sets them, in the Kafka client properties, and any tuning to try. */
        private Path clientProperties() throws IOException {
            String more = options.kafkaProperties() == null ? "" : Files.readString(options.kafkaProperties());
            return Files.writeString(dir.resolve("client.properties"), "streams.num.stream.threads=" + options.threads() + "\n"
                    + more);
        }

        private void say(String line) {
            progress.println(line);
            progress.flush();
        }
    }

    /** What runs the stages under test, and what the benchmark can ask it. */
    private sealed interface UnderTest extends AutoCloseable permits InThisJvm, InProcesses {
        /** The app processes of their own, if any. */
        List<Long> appPids();

        /** How the stream threads spent their time, where the benchmark can read it. */
        String streamThreads();

        /** Throws if something that runs the stages has ended. */
        void checkAlive();
    }

    /** The stages, and for the loop a dispatcher (else null), in this JVM. */
    private record InThisJvm(SealOpenStages stages, Dispatcher dispatcher) implements UnderTest {
        @Override
        public List<Long> appPids() {
            return List.of();
        }

        /** Kafka Streams' own account of its threads' time (the last 30 s or so): processing, committing, polling. */
        @Override
        public String streamThreads() {
            Map<String, List<Double>> ratios = new java.util.TreeMap<>();
            stages.streams().metrics().forEach((name, metric) -> {
                if (name.group().equals("stream-thread-metrics") && name.name().endsWith("-ratio")
                        && metric.metricValue() instanceof Double value && !value.isNaN()) {
                    ratios.computeIfAbsent(name.name().replace("-ratio", ""), k -> new ArrayList<>()).add(value);
                }
            });
            StringBuilder line = new StringBuilder();
            ratios.forEach((what, values) -> line.append(line.length() == 0 ? "" : ", ").append(what).append(' ')
                    .append(Math.round(100 * values.stream().mapToDouble(Double::doubleValue).average().orElse(0))).append('%'));
            return line.toString();
        }

        @Override
        public void checkAlive() {
        }

        @Override
        public void close() {
            if (dispatcher != null) {
                dispatcher.close();
            }
            stages.close();
        }
    }

    private record InProcesses(AppProcesses processes) implements UnderTest {
        @Override
        public List<Long> appPids() {
            return processes.pids();
        }

        @Override
        public String streamThreads() {
            return "in the app processes (their /metrics tell)";
        }

        @Override
        public void checkAlive() {
            processes.checkAlive();
        }

        @Override
        public void close() {
            processes.close();
        }
    }

    /** The part an app process's thread belongs to, from the first 15 characters of its name. */
    private static String appPartOf(String thread) {
        if (thread.startsWith("bench-stage-")) {
            return "stages";
        }
        if (thread.startsWith("jps-dispatch") || thread.startsWith("HttpClient")) {
            return "dispatcher";
        }
        return null;
    }

    private static double percentile(double[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }
}
