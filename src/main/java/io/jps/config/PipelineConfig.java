package io.jps.config;

import io.jps.profile.ProviderProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The whole typed configuration: {@code topology/pipeline.yaml}, overlaid by {@code --config FILE}, then by
 * {@code JPS_*} environment variables. Every key, its default and its meaning is declared once, in that file.
 */
public record PipelineConfig(
        String bootstrapServers,
        Path kafkaProperties,
        String applicationId,
        Topics topics,
        Crypto crypto,
        Keys keys,
        Limits limits,
        Open open,
        Dispatcher dispatcher,
        Metrics metrics,
        Map<String, ProviderProfile> providers) {

    /** Which JCA provider does the RSA work: {@code auto} prefers ACCP where it loads. */
    public record Crypto(String provider) {
    }

    /** How often keyset directories are checked for changes on disk. */
    public record Keys(Duration reloadInterval) {
    }

    /** Size limits applied before any parsing or cryptography. */
    public record Limits(int maxRequestBytes, int maxAnswerBytes) {
    }

    /** Settings of the open stage that hold for every provider. */
    public record Open(Duration clockSkew, Duration dedupRetention) {
    }

    /** The dispatcher stage's own settings; per-provider ones are in each profile's {@code dispatch}. */
    public record Dispatcher(String groupId, int maxInFlight, int maxQueued, Duration drainTimeout, Duration connectTimeout,
                             Duration sessionTimeout, Duration commitInterval) {
    }

    /** Where {@code /metrics} and {@code /health/*} are served. */
    public record Metrics(int port) {
    }
}
