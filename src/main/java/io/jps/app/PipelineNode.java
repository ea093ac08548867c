package io.jps.app;

import io.jps.attest.AttestationKeyException;
import io.jps.attest.Attestor;
import io.jps.config.ConfigException;
import io.jps.dispatch.Dispatcher;
import io.jps.engine.Engine;
import io.jps.kafka.TopicAdmin;
import io.jps.keys.KeyExpiryWatch;
import io.jps.observe.KeyExpiryMetrics;
import io.jps.observe.ObservabilityServer;
import io.jps.observe.PipelineMetrics;
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
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running process of the pipeline against one cluster: topics ensured, the stages its role asks for,
 * and the metrics and health endpoint. {@code run} and {@code demo} both start one.
 */
public final class PipelineNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineNode.class);

    private final PrometheusMeterRegistry registry;
    private final SealOpenStages stages;
    private final Dispatcher dispatcher;
    private final KeyExpiryWatch expiryWatch;
    private final BooleanSupplier ready;
    private final ObservabilityServer observability;

    private PipelineNode(PrometheusMeterRegistry registry, SealOpenStages stages, Dispatcher dispatcher,
                         KeyExpiryWatch expiryWatch, BooleanSupplier ready, ObservabilityServer observability) {
        this.registry = registry;
        this.stages = stages;
        this.dispatcher = dispatcher;
        this.expiryWatch = expiryWatch;
        this.ready = ready;
        this.observability = observability;
    }

    public static PipelineNode start(Engine engine, Role role, String bootstrapServers, Path stateDir, String metricsHost,
                                     int metricsPort) throws IOException, InterruptedException {
        PipelineTopics topics = new PipelineTopics(engine.config());
        Attestor attestor;
        try {
            attestor = engine.attestor();
        } catch (AttestationKeyException e) {
            throw new ConfigException(e.getMessage());
        }
        Supplier<Admin> admin = () -> Admin.create(Map.of("bootstrap.servers", bootstrapServers));
        try (Admin client = admin.get()) {
            TopicAdmin.ensure(client, topics.toCreate());
            CoPartitioning.check(client, topics);
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
                ? SealOpenStages.start(engine, attestor, topics, metrics, bootstrapServers, stateDir, admin) : null;
        if (stages != null) {
            new KafkaStreamsMetrics(stages.streams()).bindTo(registry);
        }
        Dispatcher dispatcher = role.runsDispatcher() ? Dispatcher.start(engine, attestor, topics, metrics, bootstrapServers) : null;
        BooleanSupplier ready = () -> (stages == null || stages.isRunning()) && (dispatcher == null || dispatcher.isPolling())
                && engine.keyRing().allConfiguredLoad();
        ObservabilityServer observability = ObservabilityServer.start(metricsHost, metricsPort, registry, ready);
        LOG.info("running {} against {}; metrics and health on port {}", role, bootstrapServers, observability.port());
        return new PipelineNode(registry, stages, dispatcher, expiryWatch, ready, observability);
    }

    public boolean isReady() {
        return ready.getAsBoolean();
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
        observability.close();
        registry.close();
    }
}
