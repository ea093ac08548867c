package io.jps.dispatch;

import dev.failsafe.RateLimiter;
import io.jps.attest.Attestor;
import io.jps.config.PipelineConfig;
import io.jps.engine.Engine;
import io.jps.kafka.KafkaConnection;
import io.jps.observe.PipelineMetrics;
import io.jps.profile.Printable;
import io.jps.profile.ProviderProfile;
import io.jps.profile.ReasonCode;
import io.jps.profile.Stage;
import io.jps.record.Json;
import io.jps.record.SealedRequest;
import io.jps.topology.DeadLetterWriter;
import io.jps.topology.HeaderNames;
import io.jps.topology.PipelineTopics;
import io.jps.topology.RecordIdentity;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DISPATCH: reads {@code payments.sealed} in its own consumer group and calls the providers. Records with the
 * same Kafka key go out one at a time, in order; different keys run concurrently, bounded per instance and
 * per provider. What came back (2xx, 4xx) is written to {@code payments.responses}; what could not be sent
 * goes to {@code payments.dlq.dispatch}. Outcomes are written in Kafka transactions together with the offsets
 * of the records they answer, so after a crash a request may be sent to its provider again (the idempotency
 * key makes that harmless) but its outcome is written once, and none is lost.
 */
public final class Dispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

    /** Records of one partition and one key: they are sent strictly one after another. */
    private record Lane(TopicPartition partition, String key) {
    }

    /** A sealed record, read, and its request when it could be read. */
    private record Work(ConsumerRecord<byte[], byte[]> record, Lane lane, SealedRequest request, ProviderProfile profile,
                        ReasonCode unreadable, String problem) {
    }

    private final PipelineConfig config;
    private final PipelineTopics topics;
    private final PipelineMetrics metrics;
    private final Attestor attestor;
    private final DeadLetterWriter deadLetters;
    private final ProviderCall call;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ScheduledExecutorService scheduler;
    private final Map<String, RateLimiter<Object>> rateLimiters = new HashMap<>();
    private final Thread loop;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Lane, ArrayDeque<Work>> lanes = new HashMap<>();
    private final LinkedHashSet<Lane> waiting = new LinkedHashSet<>();
    private final Map<TopicPartition, PartitionProgress> progressByPartition = new HashMap<>();
    private final Map<String, Integer> inFlightByProvider = new HashMap<>();
    private volatile int inFlight;
    private int queued;
    private boolean draining;

    private volatile boolean running = true;
    private volatile boolean failed;
    private volatile long lastPollNanos = System.nanoTime();

    private Dispatcher(Engine engine, Attestor attestor, PipelineTopics topics, PipelineMetrics metrics, KafkaConnection kafka) {
        this.config = engine.config();
        this.topics = topics;
        this.metrics = metrics;
        this.attestor = attestor;
        this.deadLetters = new DeadLetterWriter(metrics);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("jps-dispatch-timer"));
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.dispatcher().connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.call = new ProviderCall(client, engine.credentials(), scheduler, engine.clock(),
                config.limits().maxAnswerBytes(), metrics);
        config.providers().forEach((name, profile) -> {
            if (profile.dispatch().rateLimit() > 0) {
                rateLimiters.put(name, RateLimiter.smoothBuilder(Duration.ofNanos((long) (1e9 / profile.dispatch().rateLimit())))
                        .build());
            }
        });
        this.consumer = kafka.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, config.dispatcher().groupId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // payments.sealed is written in transactions by the seal stage: never act on an aborted one
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.dispatcher().sessionTimeout().toMillis(),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(1_000, config.dispatcher().sessionTimeout().toMillis() / 3)));
        this.producer = kafka.producer(Map.of(
                // one id per process: the consumer group's generation fences a zombie instance (KIP-447)
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.dispatcher().groupId() + "-" + UUID.randomUUID(),
                // Transactions here last one commit interval. A crashed instance's open transaction holds back
                // every read_committed reader of payments.responses (the open stage) until it times out.
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000,
                ProducerConfig.LINGER_MS_CONFIG, 5));
        producer.initTransactions();
        metrics.inFlightDispatches(() -> inFlight);
        this.loop = daemon("jps-dispatcher").newThread(this::run);
    }

    public static Dispatcher start(Engine engine, Attestor attestor, PipelineTopics topics, PipelineMetrics metrics,
                                   KafkaConnection kafka) {
        Dispatcher dispatcher = new Dispatcher(engine, attestor, topics, metrics, kafka);
        dispatcher.loop.start();
        return dispatcher;
    }

    /** Ready: the loop is alive, has polled recently, and nothing has failed. */
    public boolean isPolling() {
        return running && !failed && loop.isAlive()
                && System.nanoTime() - lastPollNanos < Duration.ofSeconds(30).toNanos();
    }

    private void run() {
        consumer.subscribe(List.of(topics.sealed().name()), new Rebalance());
        long lastCommit = System.nanoTime();
        try {
            while (running && !failed) {
                var records = consumer.poll(POLL_TIMEOUT);
                lastPollNanos = System.nanoTime();
                records.forEach(this::accept);
                pump();
                backpressure();
                if (System.nanoTime() - lastCommit > COMMIT_INTERVAL.toNanos()) {
                    commit(consumer.assignment());
                    lastCommit = System.nanoTime();
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll: fall through to the drain
        } catch (RuntimeException e) {
            failed = true;
            LOG.error("dispatcher stopped: {}", e.toString());
        } finally {
            drainAndClose();
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Lane lane = new Lane(partition, record.key() == null ? "" : Base64.getEncoder().encodeToString(record.key()));
        Work work = read(record, lane);
        lock.lock();
        try {
            progressByPartition.computeIfAbsent(partition, p -> new PartitionProgress()).started(record.offset());
            ArrayDeque<Work> queue = lanes.computeIfAbsent(lane, l -> new ArrayDeque<>());
            queue.addLast(work);
            queued++;
            if (queue.size() == 1) {
                waiting.add(lane);
            }
        } finally {
            lock.unlock();
        }
    }

    private Work read(ConsumerRecord<byte[], byte[]> record, Lane lane) {
        SealedRequest request;
        try {
            request = Json.MAPPER.readValue(Json.strictUtf8(record.value() == null ? new byte[0] : record.value()),
                    SealedRequest.class);
        } catch (Json.MalformedJsonException | java.io.IOException e) {
            return new Work(record, lane, null, null, ReasonCode.MALFORMED, "not a SealedRequest record");
        }
        if (request == null || request.requestId() == null || request.method() == null || request.path() == null) {
            return new Work(record, lane, null, null, ReasonCode.MALFORMED, "a SealedRequest needs requestId, method and path");
        }
        if (!attestor.verifies(request, RecordIdentity.text(record.headers(), HeaderNames.ATTESTATION))) {
            return new Work(record, lane, null, null, ReasonCode.UNATTESTED, "no valid " + HeaderNames.ATTESTATION
                    + ": not sealed by our seal stage, or changed since; nothing was sent");
        }
        ProviderProfile profile = request.provider() == null ? null : config.providers().get(request.provider());
        if (profile == null) {
            return new Work(record, lane, request, null, ReasonCode.UNKNOWN_PROVIDER,
                    "no profile for provider '" + Printable.of(request.provider()) + "'");
        }
        return new Work(record, lane, request, profile, null, null);
    }

    /** Starts the head of every waiting lane that the in-flight limits allow. */
    private void pump() {
        List<Work> starting = new ArrayList<>();
        lock.lock();
        try {
            var lanesWaiting = waiting.iterator();
            while (lanesWaiting.hasNext() && !draining && inFlight < config.dispatcher().maxInFlight()) {
                Lane lane = lanesWaiting.next();
                Work head = lanes.get(lane).peekFirst();
                String provider = head.profile() == null ? null : head.request().provider();
                if (provider != null && inFlightByProvider.getOrDefault(provider, 0) >= head.profile().dispatch().maxInFlight()) {
                    continue;
                }
                lanesWaiting.remove();
                inFlight++;
                if (provider != null) {
                    inFlightByProvider.merge(provider, 1, Integer::sum);
                }
                starting.add(head);
            }
        } finally {
            lock.unlock();
        }
        starting.forEach(this::dispatch);
    }

    private void dispatch(Work work) {
        CompletableFuture<ProducerRecord<byte[], byte[]>> output = work.unreadable() != null
                ? CompletableFuture.completedFuture(deadLetter(work, work.unreadable(), work.problem()))
                : call.send(work.request(), work.profile(), rateLimiters.get(work.request().provider())).thenApply(outcome ->
                        outcome instanceof CallOutcome.Answered answered
                                ? answer(work, answered)
                                : deadLetter(work, ((CallOutcome.GaveUp) outcome).reason(), ((CallOutcome.GaveUp) outcome).message()));
        output.whenComplete((record, error) -> {
            if (error != null) {
                // A bug, not a provider's doing: keep the record uncommitted and stop, so it is sent again.
                failOn(work, error);
            } else {
                finished(work, record);
            }
        });
    }

    /**
     * The answer, attested, in the partition of the sealed request (where the task that remembers the request
     * opens it). Its identity comes from the attested request, never from the sealed record's own headers.
     */
    private ProducerRecord<byte[], byte[]> answer(Work work, CallOutcome.Answered answered) {
        Headers headers = new RecordHeaders();
        new RecordIdentity(work.request().requestId(), work.request().provider(), work.request().account()).writeTo(headers);
        headers.add(HeaderNames.ATTESTATION, attestor.attest(answered.response()).getBytes(StandardCharsets.US_ASCII));
        return new ProducerRecord<>(topics.responses().name(), work.record().partition(), work.record().key(),
                Json.writeBytes(answered.response()), headers);
    }

    private ProducerRecord<byte[], byte[]> deadLetter(Work work, ReasonCode reason, String message) {
        ConsumerRecord<byte[], byte[]> record = work.record();
        RecordIdentity identity = work.request() != null
                ? new RecordIdentity(work.request().requestId(), work.request().provider(), work.request().account())
                : RecordIdentity.bestEffort(record.value(), record.headers());
        LOG.warn("request {} of {} not dispatched: {} ({})", identity.requestId(), identity.provider(), reason, message);
        return deadLetters.write(topics.dlqDispatch().name(), record.key(), record.value(), record.headers(), identity,
                new DeadLetterWriter.Failure(Stage.DISPATCH, reason, message),
                new DeadLetterWriter.Source(record.topic(), record.partition(), record.offset())).toProducerRecord();
    }

    private void finished(Work work, ProducerRecord<byte[], byte[]> outcome) {
        lock.lock();
        try {
            PartitionProgress progress = progressByPartition.get(work.lane().partition());
            if (progress != null) {
                progress.finished(work.record().offset(), outcome);
            }
            release(work);
            ArrayDeque<Work> queue = lanes.get(work.lane());
            if (queue != null && queue.peekFirst() == work) {
                queue.pollFirst();
                queued--;
                if (queue.isEmpty()) {
                    lanes.remove(work.lane());
                } else {
                    waiting.add(work.lane());
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        pump();
    }

    private void failOn(Work work, Throwable error) {
        LOG.error("cannot make an outcome for {}: {}; the dispatcher stops without committing it",
                work.request() == null ? "a sealed record" : work.request().requestId(), error.getClass().getName());
        failed = true;
        lock.lock();
        try {
            release(work);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        consumer.wakeup();
    }

    private void release(Work work) {
        inFlight--;
        if (work.profile() != null) {
            inFlightByProvider.merge(work.request().provider(), -1, Integer::sum);
        }
    }

    private void backpressure() {
        int pending;
        lock.lock();
        try {
            pending = queued;
        } finally {
            lock.unlock();
        }
        if (pending >= config.dispatcher().maxQueued()) {
            consumer.pause(consumer.assignment());
        } else if (pending <= config.dispatcher().maxQueued() / 2 && !consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    /**
     * Writes the outcomes that are ready and commits the offsets that cover them, in one transaction. Runs on
     * the polling thread only: a transactional producer is not to be shared mid-transaction.
     */
    private void commit(Collection<TopicPartition> partitions) {
        List<ProducerRecord<byte[], byte[]>> outcomes = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        lock.lock();
        try {
            for (TopicPartition partition : partitions) {
                PartitionProgress progress = progressByPartition.get(partition);
                PartitionProgress.Committable ready = progress == null ? null : progress.take();
                if (ready != null) {
                    outcomes.addAll(ready.outcomes());
                    offsets.put(partition, new OffsetAndMetadata(ready.nextOffset()));
                }
            }
        } finally {
            lock.unlock();
        }
        if (offsets.isEmpty()) {
            return;
        }
        producer.beginTransaction();
        outcomes.forEach(producer::send);
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
    }

    /** Waits until nothing of {@code partitions} (null: of any partition) is in flight, or the drain time is up. */
    private void awaitIdle(Collection<TopicPartition> partitions) {
        long deadline = System.nanoTime() + config.dispatcher().drainTimeout().toNanos();
        lock.lock();
        try {
            while (busy(partitions)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("requests still in flight after dispatcher.drainTimeout; they will be sent again after a restart");
                    return;
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private boolean busy(Collection<TopicPartition> partitions) {
        if (partitions == null) {
            return inFlight > 0;
        }
        return lanes.values().stream().anyMatch(queue -> !queue.isEmpty() && partitions.contains(queue.peekFirst().lane().partition())
                && !waiting.contains(queue.peekFirst().lane()));
    }

    private void forget(Collection<TopicPartition> partitions) {
        lock.lock();
        try {
            lanes.entrySet().removeIf(entry -> {
                if (!partitions.contains(entry.getKey().partition())) {
                    return false;
                }
                queued -= entry.getValue().size();
                waiting.remove(entry.getKey());
                return true;
            });
            partitions.forEach(progressByPartition::remove);
        } finally {
            lock.unlock();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            lock.lock();
            try {
                draining = true;
            } finally {
                lock.unlock();
            }
            awaitIdle(partitions);
            try {
                commit(partitions);
            } catch (RuntimeException e) {
                LOG.warn("commit on revocation failed ({}); those records will be sent again", e.getClass().getSimpleName());
            }
            forget(partitions);
            lock.lock();
            try {
                draining = !running;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.info("dispatcher assigned {} partition(s)", partitions.size());
        }
    }

    private void drainAndClose() {
        lock.lock();
        try {
            draining = true;
        } finally {
            lock.unlock();
        }
        awaitIdle(null);
        try {
            if (!failed) {
                commit(consumer.assignment());
            }
        } catch (RuntimeException e) {
            LOG.warn("final commit failed ({}); uncommitted requests will be sent again", e.getClass().getSimpleName());
        }
        consumer.close();
        producer.close(Duration.ofSeconds(10));
        scheduler.shutdownNow();
    }

    /** Stops reading, lets requests in flight finish (up to {@code dispatcher.drainTimeout}), commits, leaves the group. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            loop.join(config.dispatcher().drainTimeout().plusSeconds(15).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
