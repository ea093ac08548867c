package io.jps.app;

import io.jps.bench.SampleRequests;
import io.jps.kafka.KafkaConnection;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.sandbox.FaultPlan.RequestClass;
import io.jps.sandbox.FaultRates;
import io.jps.topology.HeaderNames;
import io.jps.topology.PipelineTopics;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The embedded default: an in-process KRaft broker, the provider sandbox on loopback, throwaway keys, every
 * stage and the metrics endpoint, then a mixed batch of requests pushed through and accounted for.
 */
public final class Demo {

    private static final List<String> ACCOUNTS = EmbeddedPipeline.ACCOUNTS;
    /** Some of each fault the sandbox can play, so that every route of the pipeline shows in the summary. */
    private static final FaultRates FAULTS = FaultRates.NONE
            .with(RequestClass.DOWN, 0.005)
            .with(RequestClass.SERVER_ERROR_ONCE, 0.03)
            .with(RequestClass.RATE_LIMITED_ONCE, 0.01)
            .with(RequestClass.HANG_ONCE, 0.003)
            .with(RequestClass.RESET_ONCE, 0.01)
            .with(RequestClass.TAMPERED, 0.005)
            .with(RequestClass.WRONG_SIGNER, 0.005)
            .with(RequestClass.NOT_JOSE, 0.005)
            .withLatency(0.1);
    /** One request in this many names an operation its provider does not have: the request dead-letter route. */
    private static final int BAD_REQUEST_EVERY = 200;

    public record Options(int requests, long seed, boolean faults, int metricsPort, boolean keepRunning) {
    }

    private Demo() {
    }

    /** @return 0 when every request ended exactly once somewhere */
    public static int run(Options options, PrintWriter out) throws Exception {
        try (Running demo = start(options, out)) {
            if (options.keepRunning()) {
                out.println("Still running (Ctrl-C stops it).");
                out.flush();
                awaitInterrupt();
            }
            return demo.complete() ? 0 : 1;
        }
    }

    /**
     * Runs the batch, prints its summary and leaves everything running (what {@code --keep-running} keeps)
     * until the returned demo is closed.
     */
    public static Running start(Options options, PrintWriter out) throws Exception {
        EmbeddedPipeline pipeline = EmbeddedPipeline.start(new EmbeddedPipeline.Options(sandbox -> sandbox
                .withFaults(options.seed(), options.faults() ? FAULTS : FaultRates.NONE)
                .withDirectAnswerRate(options.faults() ? 0.3 : 0)
                .withTimes(Duration.ofMillis(30), Duration.ofSeconds(3), Duration.ofSeconds(1)), options.metricsPort(),
                // Timeouts that suit a laptop.
                "{timeout: PT2S, maxAttempts: 3, initialBackoff: PT0.1S, maxBackoff: PT0.5S}"), out);
        try {
            out.printf("Pipeline ready: seal/open stages, dispatcher, sandbox at %s; metrics at http://127.0.0.1:%d/metrics%n",
                    pipeline.sandbox().baseUrl("juspay").resolve("/"), pipeline.metricsPort());
            out.flush();
            long started = System.nanoTime();
            List<PaymentRequest> batch = batch(options.requests());
            PipelineTopics topics = new PipelineTopics(pipeline.config());
            send(batch, topics, pipeline.connection());
            List<ConsumerRecord<byte[], byte[]>> outcomes = collect(batch.size(), topics, pipeline.connection());
            double seconds = (System.nanoTime() - started) / 1e9;
            boolean complete = DemoSummary.print(batch, outcomes, topics, seconds,
                    new DemoSummary.WhereToLook(pipeline.metricsPort(), pipeline.bootstrapServers(), options.keepRunning()), out);
            return new Running(pipeline, complete);
        } catch (Exception | Error e) {
            try {
                pipeline.close();
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** A demo whose batch is done, with its broker, sandbox and every stage still running until {@link #close()}. */
    public static final class Running implements AutoCloseable {

        private final EmbeddedPipeline pipeline;
        private final boolean complete;

        private Running(EmbeddedPipeline pipeline, boolean complete) {
            this.pipeline = pipeline;
            this.complete = complete;
        }

        public int metricsPort() {
            return pipeline.metricsPort();
        }

        /** Whether every request of the batch ended exactly once. */
        public boolean complete() {
            return complete;
        }

        @Override
        public void close() throws Exception {
            pipeline.close();
        }
    }

    private static List<PaymentRequest> batch(int size) {
        List<String> providers = List.of("juspay", "wise", "socure", "portone");
        List<PaymentRequest> batch = new ArrayList<>();
        // Every demo starts on an empty broker, so plain ids are unique; and the same seed meets the same faults.
        for (int i = 0; i < size; i++) {
            PaymentRequest request = SampleRequests.forProvider(providers.get(i % providers.size()),
                    ACCOUNTS.get((i / providers.size()) % ACCOUNTS.size()), "demo-" + i);
            if (i % BAD_REQUEST_EVERY == BAD_REQUEST_EVERY - 1) {
                request = new PaymentRequest(request.requestId(), request.provider(), request.account(), "no-such-operation",
                        null, null, request.key(), request.payload());
            }
            batch.add(request);
        }
        return batch;
    }

    private static void send(List<PaymentRequest> batch, PipelineTopics topics, KafkaConnection kafka) {
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 10))) {
            for (PaymentRequest request : batch) {
                producer.send(new ProducerRecord<>(topics.requests().name(), request.recordKey().getBytes(StandardCharsets.UTF_8),
                        Json.writeBytes(request)));
            }
        }
    }

    /** Reads results and dead letters until every request of the batch is accounted for (or 5 minutes pass). */
    private static List<ConsumerRecord<byte[], byte[]>> collect(int expected, PipelineTopics topics, KafkaConnection kafka) {
        List<String> names = new ArrayList<>(List.of(topics.dlqRequest().name(), topics.dlqDispatch().name(),
                topics.dlqDecryption().name(), topics.dlqSignature().name()));
        names.addAll(topics.resultTopics());
        List<ConsumerRecord<byte[], byte[]>> outcomes = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
             ProgressBar bar = new ProgressBarBuilder().setTaskName("requests").setInitialMax(expected)
                     .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).showSpeed().build()) {
            // Assigned, not subscribed: joining a group would hold the count back for seconds.
            List<TopicPartition> partitions = new ArrayList<>();
            for (String name : names) {
                consumer.partitionsFor(name).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (outcomes.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.headers().lastHeader(HeaderNames.REQUEST_ID) != null) {
                        outcomes.add(record);
                        bar.step();
                    }
                }
            }
        }
        return outcomes;
    }

    private static void awaitInterrupt() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "jps-demo-stop"));
        stopped.await();
    }
}
