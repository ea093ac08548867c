package io.jps.app;

import io.jps.attest.AttestationKeyException;
import io.jps.attest.Attestor;
import io.jps.config.ConfigException;
import io.jps.config.TopicSpec;
import io.jps.dispatch.Dispatcher;
import io.jps.engine.Engine;
import io.jps.kafka.KafkaConnection;
import io.jps.kafka.TopicAdmin;
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
import java.util.List;
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
    private final ObservabilityServer observability;

    private PipelineNode(PrometheusMeterRegistry registry, SealOpenStages stages, Dispatcher dispatcher,
                         ObservabilityServer observability) {
        this.registry = registry;
        this.stages = stages;
        this.dispatcher = dispatcher;
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

        SealOpenStages stages = role.runsStages()
                ? SealOpenStages.start(engine, attestor, topics, metrics, kafka, stateDir) : null;
        if (stages != null) {
            new KafkaStreamsMetrics(stages.streams()).bindTo(registry);
        }
        Dispatcher dispatcher = role.runsDispatcher() ? Dispatcher.start(engine, attestor, topics, metrics, kafka) : null;
        ObservabilityServer observability = ObservabilityServer.start(metricsHost, metricsPort, registry,
                () -> (stages == null || stages.isRunning()) && (dispatcher == null || dispatcher.isPolling()));
        LOG.info("running {} against {}; metrics and health on port {}", role, kafka.bootstrapServers(), observability.port());
        return new PipelineNode(registry, stages, dispatcher, observability);
    }

    /** Only the topics the role uses: a restricted principal may see no others. */
    private static List<TopicSpec> topicsOf(Role role, PipelineTopics topics) {
        if (role.runsStages() && role.runsDispatcher()) {
            return topics.toCreate();
        }
        return role.runsStages() ? topics.ofStages() : topics.ofDispatcher();
    }

    public boolean isReady() {
        return (stages == null || stages.isRunning()) && (dispatcher == null || dispatcher.isPolling());
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
        observability.close();
        registry.close();
    }
}
