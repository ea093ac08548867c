package io.jps.dispatch;

import io.jps.attest.Attestor;
import io.jps.config.PipelineConfig;
import io.jps.engine.Engine;
import io.jps.kafka.KafkaConnection;
import io.jps.observe.PipelineMetrics;
import io.jps.topology.DeadLetterWriter;
import io.jps.topology.PipelineTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DISPATCH: reads {@code payments.sealed} in its own consumer group and calls the providers. Records with the
 * same Kafka key go out one at a time, in order; different keys run concurrently, bounded per instance and
 * per provider ({@link LaneScheduler}). What came back (2xx, 4xx) is written to {@code payments.responses}; what
 * could not or must not be sent goes to {@code payments.dlq.dispatch}. Outcomes are written in Kafka transactions
 * together with the offsets of the records they answer ({@link OutcomeCommitter}), so after a crash a request may
 * be sent to its provider again (the idempotency key makes that harmless) but its outcome is written once, and
 * none is lost.
 *
 * <p>This class is the poll loop: read, hand work to the lanes, start what may start, commit now and then, slow
 * down reading when too much is queued, and drain on close.
 */
public final class Dispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration POLLING_RECENTLY = Duration.ofSeconds(30);

    private final PipelineConfig.Dispatcher settings;
    private final PipelineTopics topics;
    private final SealedRecords sealedRecords;
    private final OutcomeRecords outcomeRecords;
    private final LaneScheduler lanes;
    private final OutcomeCommitter committer;
    private final ProviderCall call;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ScheduledExecutorService scheduler;
    private final Thread loop;

    private final ThreadLocal<Boolean> pumping = ThreadLocal.withInitial(() -> false);

    private volatile boolean running = true;
    private volatile boolean failed;
    private volatile long lastPollNanos = System.nanoTime();

    private Dispatcher(Engine engine, Attestor attestor, PipelineTopics topics, PipelineMetrics metrics,
                       DispatcherKafkaClients kafka) {
        PipelineConfig config = engine.config();
        this.settings = config.dispatcher();
        this.topics = topics;
        this.sealedRecords = new SealedRecords(config.providers(), attestor);
        this.outcomeRecords = new OutcomeRecords(topics, attestor, new DeadLetterWriter(metrics));
        this.lanes = new LaneScheduler(settings.maxInFlight());
        ProviderHttpClients clients = ProviderHttpClients.create(config.providers(), settings.connectTimeout());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "jps-dispatch-timer"));
        this.call = new ProviderCall(clients, new ProviderCircuits(config.providers(), metrics), engine.credentials(), scheduler,
                engine.clock(), System::nanoTime, config.limits().maxAnswerBytes(), metrics);
        this.committer = new OutcomeCommitter(kafka.producer(), outcomeRecords, kafka.maxRequestSize());
        this.consumer = kafka.consumer();
        metrics.inFlightDispatches(lanes::inFlight);
        this.loop = daemon(this::run, "jps-dispatcher");
    }

    public static Dispatcher start(Engine engine, Attestor attestor, PipelineTopics topics, PipelineMetrics metrics,
                                   KafkaConnection kafka) {
        return start(engine, attestor, topics, metrics, new DispatcherKafkaClients(kafka, engine.config().dispatcher()));
    }

    static Dispatcher start(Engine engine, Attestor attestor, PipelineTopics topics, PipelineMetrics metrics,
                            DispatcherKafkaClients kafka) {
        Dispatcher dispatcher = new Dispatcher(engine, attestor, topics, metrics, kafka);
        dispatcher.loop.start();
        return dispatcher;
    }

    /** Ready: the loop is alive, has polled recently, and nothing has failed. */
    public boolean isPolling() {
        return running && !failed && loop.isAlive() && System.nanoTime() - lastPollNanos < POLLING_RECENTLY.toNanos();
    }

    /**
     * Live: the loop has not died. A dispatcher that stopped on an error never starts again by itself; an
     * orchestrator that sees this false restarts the process. One that is closing is still live.
     */
    public boolean isAlive() {
        return !failed && (loop.isAlive() || !running);
    }

    private void run() {
        consumer.subscribe(List.of(topics.sealed().name()),
                new DrainingRebalance(lanes, committer, consumer, settings.drainTimeout(), () -> running));
        long lastCommit = System.nanoTime();
        // An idle poll must not hold back a commit that is due.
        Duration pollTimeout = POLL_TIMEOUT.compareTo(settings.commitInterval()) < 0 ? POLL_TIMEOUT : settings.commitInterval();
        try {
            while (running && !failed) {
                var records = consumer.poll(pollTimeout);
                lastPollNanos = System.nanoTime();
                records.forEach(this::accept);
                pump();
                backpressure();
                if (System.nanoTime() - lastCommit > settings.commitInterval().toNanos()) {
                    committer.commit(consumer.assignment(), consumer);
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
        committer.started(record);
        lanes.add(sealedRecords.read(record));
    }

    /**
     * Starts what the lanes allow, until they allow nothing more. Work that finishes at once (a dead letter needs no
     * call) pumps from inside this loop; it returns at once and the loop picks its successor up, so a long lane of
     * such records is walked, not recursed into.
     */
    private void pump() {
        if (pumping.get()) {
            return;
        }
        pumping.set(true);
        try {
            for (List<Work> starting = lanes.startable(); !starting.isEmpty(); starting = lanes.startable()) {
                starting.forEach(this::dispatch);
            }
        } finally {
            pumping.set(false);
        }
    }

    private void dispatch(Work work) {
        CompletableFuture<ProducerRecord<byte[], byte[]>> outcome;
        if (work instanceof Work.Sendable sendable) {
            outcome = call.send(sendable.request(), sendable.profile(), sendable.allowed()).thenApply(result ->
                    result instanceof CallOutcome.Answered answered
                            ? outcomeRecords.answerRecord(sendable, answered.response())
                            : outcomeRecords.deadLetter(sendable, ((CallOutcome.GaveUp) result).reason(),
                                    ((CallOutcome.GaveUp) result).message()));
        } else {
            Work.Unsendable unsendable = (Work.Unsendable) work;
            outcome = CompletableFuture.completedFuture(outcomeRecords.deadLetter(unsendable, unsendable.reason(),
                    unsendable.problem()));
        }
        outcome.whenComplete((record, error) -> {
            if (error != null) {
                // A bug, not a provider's doing: keep the record uncommitted and stop, so it is sent again.
                failOn(work, error);
            } else {
                committer.finished(work, record);
                lanes.finished(work);
                pump();
            }
        });
    }

    private void failOn(Work work, Throwable error) {
        LOG.error("cannot make an outcome for {}: {}; the dispatcher stops without committing it",
                work.identity().requestId(), error.getClass().getName());
        failed = true;
        lanes.abandoned(work);
        consumer.wakeup();
    }

    private void backpressure() {
        int pending = lanes.queued();
        if (pending >= settings.maxQueued()) {
            consumer.pause(consumer.assignment());
        } else if (pending <= settings.maxQueued() / 2 && !consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void drainAndClose() {
        lanes.draining(true);
        if (!lanes.awaitIdle(null, settings.drainTimeout())) {
            LOG.warn("requests still in flight after dispatcher.drainTimeout; they will be sent again after a restart");
        }
        try {
            if (!failed) {
                committer.commit(consumer.assignment(), consumer);
            }
        } catch (RuntimeException e) {
            LOG.warn("final commit failed ({}); uncommitted requests will be sent again", e.getClass().getSimpleName());
        }
        consumer.close();
        committer.close(Duration.ofSeconds(10));
        scheduler.shutdownNow();
    }

    /** Stops reading, lets requests in flight finish (up to {@code dispatcher.drainTimeout}), commits, leaves the group. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            loop.join(settings.drainTimeout().plusSeconds(15).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
