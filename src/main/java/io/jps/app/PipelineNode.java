package io.jps.app;

import io.jps.attest.AttestationKeyException;
import io.jps.attest.Attestor;
import io.jps.config.ConfigException;
import io.jps.config.PipelineConfig;
import io.jps.config.TopicSpec;
import io.jps.dispatch.Dispatcher;
import io.jps.engine.Engine;
import io.jps.kafka.KafkaConnection;
import io.jps.kafka.TopicAdmin;
import io.jps.keys.KeyExpiryWatch;
import io.jps.observe.ConsumerLagMonitor;
import io.jps.observe.KeyExpiryMetrics;
import io.jps.observe.ObservabilityServer;
import io.jps.observe.PipelineMetrics;
import io.jps.profile.Stage;
import io.jps.topology.CoPartitioning;
import io.jps.topology.PipelineTopics;
import io.jps.topology.SealOpenStages;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running process of the pipeline against one cluster: topics ensured, the stages its role asks for,
 * and the metrics and health endpoint. {@code run} and {@code demo} both start one.
 */
public final class PipelineNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineNode.class);
    /** Three small Admin requests per refresh; often enough for a 15 s scrape to see every change. */
    private static final Duration LAG_REFRESH = Duration.ofSeconds(5);

    private final PrometheusMeterRegistry registry;
    private final SealOpenStages stages;
    private final Dispatcher dispatcher;
    private final KeyExpiryWatch expiryWatch;
    private final ConsumerLagMonitor lag;
    private final BooleanSupplier ready;
    private final ObservabilityServer observability;

    private PipelineNode(PrometheusMeterRegistry registry, SealOpenStages stages, Dispatcher dispatcher, KeyExpiryWatch expiryWatch,
                         ConsumerLagMonitor lag, BooleanSupplier ready, ObservabilityServer observability) {
        this.registry = registry;
        this.stages = stages;
        this.dispatcher = dispatcher;
        this.expiryWatch = expiryWatch;
        this.lag = lag;
        this.ready = ready;
        this.observability = observability;
    }

    public static PipelineNode start(Engine engine, Role role, KafkaConnection kafka, Path stateDir, String metricsHost,
                                     int metricsPort) throws IOException, InterruptedException {
        Attestor attestor;
        try {
            attestor = engine.attestor();
        } catch (AttestationKeyException e) {
            throw new ConfigException(e.getMessage());
        }
        PipelineTopics topics;
        try (Admin admin = kafka.admin()) {
            topics = new PipelineTopics(engine.config()).replicationCappedTo(TopicAdmin.brokerCount(admin));
            if (engine.config().topics().create()) {
                TopicAdmin.ensure(admin, topicsOf(role, topics));
            } else {
                TopicAdmin.check(admin, topicsOf(role, topics));
            }
            if (role.runsStages()) {
                CoPartitioning.check(admin, topics);
            }
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        PipelineMetrics metrics = new PipelineMetrics(registry, engine.config().providers().keySet());
        engine.watchKeys();
        KeyExpiryMetrics.bind(registry, engine.keyRing(), engine.clock());
        KeyExpiryWatch expiryWatch = new KeyExpiryWatch(engine.keyRing(), engine.clock()).start();

        SealOpenStages stages = role.runsStages()
                ? SealOpenStages.start(engine, attestor, topics, metrics, kafka, stateDir) : null;
        if (stages != null) {
            new KafkaStreamsMetrics(stages.streams()).bindTo(registry);
        }
        Dispatcher dispatcher = role.runsDispatcher() ? Dispatcher.start(engine, attestor, topics, metrics, kafka) : null;
        BooleanSupplier ready = () -> (stages == null || stages.isRunning()) && (dispatcher == null || dispatcher.isPolling())
                && engine.keyRing().allConfiguredLoad();
        metrics.readiness(ready);
        stageStates(metrics, stages, dispatcher);
        ConsumerLagMonitor lag = ConsumerLagMonitor.start(kafka.admin(), watchedGroups(engine.config(), topics), metrics, LAG_REFRESH);
        ObservabilityServer observability = ObservabilityServer.start(metricsHost, metricsPort, registry,
                () -> live(stages, dispatcher), ready);
        LOG.info("running {} against {}; metrics and health on port {}", role, kafka.bootstrapServers(), observability.port());
        return new PipelineNode(registry, stages, dispatcher, expiryWatch, lag, ready, observability);
    }

    private static void stageStates(PipelineMetrics metrics, SealOpenStages stages, Dispatcher dispatcher) {
        if (stages != null) {
            List<String> states = Arrays.stream(KafkaStreams.State.values()).map(Enum::name).toList();
            // Seal and open are one Kafka Streams instance: they are in the same state.
            metrics.stageState(Stage.SEAL, () -> stages.streams().state().name(), states);
            metrics.stageState(Stage.OPEN, () -> stages.streams().state().name(), states);
        }
        if (dispatcher != null) {
            metrics.stageState(Stage.DISPATCH, () -> dispatcher.isPolling() ? "RUNNING" : "NOT_RUNNING",
                    List.of("RUNNING", "NOT_RUNNING"));
        }
    }

    /**
     * Every stage's group, whichever stages this process runs: a stage whose every instance is down still shows
     * its lag growing, reported by the others.
     */
    private static List<ConsumerLagMonitor.Watched> watchedGroups(PipelineConfig config, PipelineTopics topics) {
        return List.of(
                new ConsumerLagMonitor.Watched(Stage.SEAL, config.applicationId(), topics.requests().name()),
                new ConsumerLagMonitor.Watched(Stage.DISPATCH, config.dispatcher().groupId(), topics.sealed().name()),
                new ConsumerLagMonitor.Watched(Stage.OPEN, config.applicationId(), topics.responses().name()));
    }

    /** Only the topics the role uses: a restricted principal may see no others. */
    private static List<TopicSpec> topicsOf(Role role, PipelineTopics topics) {
        if (role.runsStages() && role.runsDispatcher()) {
            return topics.toCreate();
        }
        return role.runsStages() ? topics.ofStages() : topics.ofDispatcher();
    }

    public boolean isReady() {
        return ready.getAsBoolean();
    }

    /** Nothing this process runs has died for good: an orchestrator restarts a process that is not live. */
    private static boolean live(SealOpenStages stages, Dispatcher dispatcher) {
        boolean streamsLive = stages == null || !EnumSet.of(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR)
                .contains(stages.streams().state());
        return streamsLive && (dispatcher == null || dispatcher.isAlive());
    }

    public int metricsPort() {
        return observability.port();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The dispatcher first (it drains its requests in flight), then the stages, then the endpoint. */
    @Override
    public void close() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (stages != null) {
            stages.close();
        }
        expiryWatch.close();
        lag.close();
        observability.close();
        registry.close();
    }
}
