package io.jps.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.jps.profile.ProfileValidator;
import io.jps.profile.ProviderProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the configuration in three layers: the built-in {@code pipeline.yaml} (a copy of
 * {@code topology/pipeline.yaml}), an optional file, then {@code JPS_*} environment variables. A provider
 * may say {@code like: <other>} to start from another provider's settings.
 */
public final class ConfigLoader {

    public static final String BUILT_IN = "/pipeline.yaml";
    public static final String ENV_PREFIX = "JPS_";

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(new JavaTimeModule())
            .build();

    private ConfigLoader() {
    }

    public static PipelineConfig load(Path overlayFile, Map<String, String> environment) {
        ObjectNode tree = builtIn();
        if (overlayFile != null) {
            merge(tree, readFile(overlayFile));
        }
        applyEnvironment(tree, environment);
        resolveLikes(tree);
        PipelineConfig config = bind(tree);
        validate(config);
        return config;
    }

    /** The built-in defaults alone, as the product ships them. */
    public static PipelineConfig defaults() {
        return load(null, Map.of());
    }

    private static ObjectNode builtIn() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException(BUILT_IN + " is missing from the classpath");
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("--config " + file + ": no such file");
        }
        try {
            JsonNode node = YAML.readTree(file.toFile());
            if (node == null || node.isMissingNode() || node.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException("--config " + file + ": expected a YAML mapping at the top");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new ConfigException("--config " + file + ": not valid YAML (" + firstLine(e.getMessage()) + ")");
        }
    }

    /** Objects merge key by key; anything else in the overlay replaces what was there. */
    static void merge(ObjectNode base, ObjectNode overlay) {
        overlay.properties().forEach(entry -> {
            JsonNode existing = base.get(entry.getKey());
            if (existing instanceof ObjectNode existingObject && entry.getValue() instanceof ObjectNode overlayObject) {
                merge(existingObject, overlayObject);
            } else {
                base.set(entry.getKey(), entry.getValue().deepCopy());
            }
        });
    }

    private static void applyEnvironment(ObjectNode tree, Map<String, String> environment) {
        Map<String, List<String>> paths = new TreeMap<>();
        collectLeafPaths(tree, new ArrayList<>(), paths);
        for (Map.Entry<String, String> env : new TreeMap<>(environment).entrySet()) {
            if (!env.getKey().startsWith(ENV_PREFIX)) {
                continue;
            }
            List<String> path = paths.get(env.getKey().substring(ENV_PREFIX.length()));
            if (path == null && KubernetesServiceLinks.matches(env.getKey())) {
                LOG.debug("ignoring environment variable {}: Kubernetes sets it for a Service named jps", env.getKey());
                continue;
            }
            if (path == null) {
                throw new ConfigException("environment variable " + env.getKey()
                        + " does not name a configuration key (see topology/pipeline.yaml)");
            }
            setAt(tree, path, env.getValue());
        }
    }

    private static void collectLeafPaths(JsonNode node, List<String> path, Map<String, List<String>> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                List<String> child = new ArrayList<>(path);
                child.add(e.getKey());
                collectLeafPaths(e.getValue(), child, out);
            });
        } else {
            out.put(envName(path), List.copyOf(path));
        }
    }

    /** {@code providers.juspay.baseUrl} is {@code PROVIDERS_JUSPAY_BASE_URL}. */
    static String envName(List<String> path) {
        return path.stream()
                .map(segment -> segment.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("[^A-Za-z0-9]+", "_"))
                .map(segment -> segment.toUpperCase(Locale.ROOT))
                .collect(Collectors.joining("_"));
    }

    private static void setAt(ObjectNode tree, List<String> path, String value) {
        ObjectNode parent = tree;
        for (String segment : path.subList(0, path.size() - 1)) {
            parent = (ObjectNode) parent.get(segment);
        }
        String leaf = path.get(path.size() - 1);
        if (parent.get(leaf) instanceof ArrayNode) {
            ArrayNode list = parent.putArray(leaf);
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    list.add(item.trim());
                }
            }
        } else {
            parent.set(leaf, TextNode.valueOf(value));
        }
    }

    private static void resolveLikes(ObjectNode tree) {
        if (!(tree.get("providers") instanceof ObjectNode providers)) {
            return;
        }
        Map<String, ObjectNode> resolved = new LinkedHashMap<>();
        for (Iterator<String> names = providers.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            resolved.put(name, resolveLike(providers, name, new ArrayList<>()));
        }
        resolved.forEach(providers::set);
    }

    private static ObjectNode resolveLike(ObjectNode providers, String name, List<String> chain) {
        if (!(providers.get(name) instanceof ObjectNode own)) {
            throw new ConfigException("providers." + name + ": expected a mapping of settings");
        }
        chain.add(name);
        JsonNode like = own.get("like");
        if (like == null || like.isNull()) {
            return own;
        }
        String base = like.asText();
        if (chain.contains(base)) {
            throw new ConfigException("providers." + name + ".like: circular (" + String.join(" -> ", chain) + " -> " + base + ")");
        }
        if (!providers.has(base)) {
            throw new ConfigException("providers." + name + ".like: there is no provider '" + base + "'");
        }
        ObjectNode merged = resolveLike(providers, base, chain).deepCopy();
        ObjectNode overlay = own.deepCopy();
        overlay.remove("like");
        merge(merged, overlay);
        return merged;
    }

    private static PipelineConfig bind(ObjectNode tree) {
        try {
            PipelineConfig raw = YAML.treeToValue(tree, PipelineConfig.class);
            Map<String, ProviderProfile> named = new LinkedHashMap<>();
            if (raw.providers() != null) {
                raw.providers().forEach((name, profile) -> named.put(name, profile.withName(name)));
            }
            return new PipelineConfig(raw.bootstrapServers(), raw.kafkaProperties(), raw.applicationId(), raw.topics(), raw.crypto(),
                    raw.keys(), raw.limits(), raw.open(), raw.dispatcher(), raw.metrics(), Map.copyOf(named));
        } catch (JsonMappingException e) {
            String key = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw new ConfigException("configuration key " + (key.isEmpty() ? "(top)" : key) + ": "
                    + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException("configuration: " + firstLine(e.getMessage()));
        }
    }

    private static void validate(PipelineConfig config) {
        require(config.bootstrapServers(), "bootstrapServers");
        require(config.applicationId(), "applicationId");
        present(config.topics(), "topics");
        present(config.crypto(), "crypto");
        present(config.keys(), "keys");
        present(config.limits(), "limits");
        present(config.open(), "open");
        present(config.dispatcher(), "dispatcher");
        present(config.metrics(), "metrics");
        for (var field : Topics.class.getRecordComponents()) {
            if (field.getType() != TopicSpec.class) {
                continue;
            }
            try {
                TopicSpec topic = (TopicSpec) field.getAccessor().invoke(config.topics());
                String key = "topics." + field.getName();
                if (topic == null) {
                    throw new ConfigException("configuration key " + key + ": missing");
                }
                require(topic.name(), key + ".name");
                if (topic.partitions() < 1) {
                    throw new ConfigException("configuration key " + key + ".partitions: must be at least 1");
                }
                if (topic.replicationFactor() < 1) {
                    throw new ConfigException("configuration key " + key + ".replicationFactor: must be at least 1");
                }
                if (topic.minInsyncReplicas() < 1 || topic.minInsyncReplicas() > topic.replicationFactor()) {
                    throw new ConfigException("configuration key " + key + ".minInsyncReplicas: must be 1 to the replication factor ("
                            + topic.replicationFactor() + ")");
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        for (TopicSpec coPartitioned : List.of(config.topics().sealed(), config.topics().responses())) {
            if (coPartitioned.partitions() != config.topics().requests().partitions()) {
                throw new ConfigException("configuration key topics." + (coPartitioned == config.topics().sealed() ? "sealed"
                        : "responses") + ".partitions: must equal topics.requests.partitions ("
                        + config.topics().requests().partitions() + "): a request and its answer are handled in the same partition");
            }
        }
        if (!List.of("auto", "accp", "jdk").contains(config.crypto().provider())) {
            throw new ConfigException("configuration key crypto.provider: '" + config.crypto().provider()
                    + "' is not one of auto, accp, jdk");
        }
        positive(config.limits().maxRequestBytes(), "limits.maxRequestBytes");
        positive(config.limits().maxAnswerBytes(), "limits.maxAnswerBytes");
        if (config.open().clockSkew() == null || config.open().clockSkew().isNegative()) {
            throw new ConfigException("configuration key open.clockSkew: must be a duration of zero or more");
        }
        if (!isPositive(config.open().dedupRetention())) {
            throw new ConfigException("configuration key open.dedupRetention: must be a positive duration");
        }
        require(config.dispatcher().groupId(), "dispatcher.groupId");
        positive(config.dispatcher().maxInFlight(), "dispatcher.maxInFlight");
        positive(config.dispatcher().maxQueued(), "dispatcher.maxQueued");
        if (!isPositive(config.dispatcher().drainTimeout())) {
            throw new ConfigException("configuration key dispatcher.drainTimeout: must be a positive duration");
        }
        if (config.dispatcher().sessionTimeout() == null || config.dispatcher().sessionTimeout().toMillis() < 6_000) {
            throw new ConfigException("configuration key dispatcher.sessionTimeout: must be at least PT6S (the broker's minimum)");
        }
        if (!isPositive(config.dispatcher().commitInterval())) {
            throw new ConfigException("configuration key dispatcher.commitInterval: must be a positive duration");
        }
        if (!isPositive(config.dispatcher().connectTimeout())) {
            throw new ConfigException("configuration key dispatcher.connectTimeout: must be a positive duration");
        }
        if (config.metrics().port() < 0 || config.metrics().port() > 65535) {
            throw new ConfigException("configuration key metrics.port: must be 0 (any free port) to 65535");
        }
        if (!isPositive(config.keys().reloadInterval())) {
            throw new ConfigException("configuration key keys.reloadInterval: must be a positive duration");
        }
        config.providers().values().forEach(ProfileValidator::validate);
    }

    private static void require(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new ConfigException("configuration key " + key + ": missing");
        }
    }

    private static void present(Object section, String key) {
        if (section == null) {
            throw new ConfigException("configuration key " + key + ": missing");
        }
    }

    private static void positive(int value, String key) {
        if (value <= 0) {
            throw new ConfigException("configuration key " + key + ": must be positive");
        }
    }

    /** A duration that is set and greater than zero (Java 17's Duration has no isPositive). */
    public static boolean isPositive(Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
