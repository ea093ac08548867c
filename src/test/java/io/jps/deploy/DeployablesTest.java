package io.jps.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.jps.config.ConfigLoader;
import io.jps.config.PipelineConfig;
import io.jps.support.TestTools;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile, docker-compose.yml and the files the compose stack mounts, checked as far as a machine without a
 * Docker engine can: Debian's docker-compose and promtool judge their files, the configuration loader judges every
 * JPS_* variable, and the rest is read here and held against the configuration and the pom. Nothing is built or
 * started.
 */
class DeployablesTest {

    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Path DOCKERIGNORE = Path.of(".dockerignore");
    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final Path PROMETHEUS = Path.of("monitoring/prometheus-compose.yml");
    private static final Path DASHBOARD = Path.of("monitoring/grafana/jose-payment-streams.json");
    private static final String APP_IMAGE = "jose-payment-streams:local";
    private static final String JAR = "/app/jose-payment-streams.jar";
    /** What Kafka Streams is given to close in ({@code SealOpenStages.close}). */
    private static final Duration STREAMS_CLOSE = Duration.ofSeconds(30);

    /**
     * Configuration keys the compose file sets that another branch adds, and that branch; a variable naming one is
     * checked only once the key exists in this build. Empty it when those are merged.
     */
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final PipelineConfig DEFAULTS = ConfigLoader.defaults();

    @Test
    void dockerComposeAcceptsTheComposeFileWithoutWarnings() throws Exception {
        Path dockerCompose = TestTools.require("docker-compose");
        Process process = new ProcessBuilder(dockerCompose.toString(), "-f", COMPOSE.toString(), "config", "--quiet")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        // A warning (an unset variable, a '$' that should have been '$$') is a complaint on stderr with exit code 0.
        String complaints = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(complaints).isZero();
        assertThat(complaints).as("docker-compose config on stderr").isEmpty();
    }

    @Test
    void prometheusAcceptsTheComposeScrapeConfigWhichScrapesEveryRole() throws Exception {
        Path promtool = TestTools.require("promtool");
        Run run = run(promtool.toString(), "check", "config", PROMETHEUS.toString());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");

        JsonNode jps = jobNamed(YAML.readTree(PROMETHEUS.toFile()), "jps");
        Set<String> targets = new TreeSet<>();
        jps.path("static_configs").forEach(group -> group.path("targets").forEach(t -> targets.add(t.asText())));
        Set<String> roles = new TreeSet<>();
        runServices().forEach((name, service) -> roles.add(name + ":" + DEFAULTS.metrics().port()));
        assertThat(targets).isEqualTo(roles);
        assertThat(compose().at("/services/prometheus/volumes").toString())
                .contains("./" + PROMETHEUS + ":/etc/prometheus/prometheus.yml")
                .contains("./monitoring/alerts.yml:/etc/prometheus/alerts.yml");
    }

    @Test
    void everyJpsVariableInTheComposeFileIsAConfigurationKey() throws IOException {
        Map<String, JsonNode> services = fields(compose().get("services"));
        assertThat(services.values().stream().flatMap(s -> jpsVariables(s).keySet().stream())).isNotEmpty();
        for (Map.Entry<String, JsonNode> service : services.entrySet()) {
            Map<String, String> env = jpsVariables(service.getValue());
            assertThatCode(() -> ConfigLoader.load(null, env)).as("the environment of service %s", service.getKey())
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void theDispatcherSendsEveryProviderToTheSandboxWhichItAllowsToSpeakPlainHttp() throws IOException {
        JsonNode services = compose().get("services");
        List<String> sandboxCommand = strings(services.at("/sandbox/command"));
        assertThat(sandboxCommand).startsWith("sandbox");
        assertThat(option(sandboxCommand, "--host")).isEqualTo("0.0.0.0");
        String sandboxPort = option(sandboxCommand, "--port");

        Map<String, String> env = jpsVariables(services.get("dispatcher"));
        PipelineConfig config = ConfigLoader.load(null, env);
        for (String provider : DEFAULTS.providers().keySet()) {
            String upper = provider.toUpperCase(Locale.ROOT);
            URI sandbox = URI.create("http://sandbox:" + sandboxPort + "/" + provider);
            assertThat(env).containsEntry("JPS_PROVIDERS_" + upper + "_BASE_URL", sandbox.toString())
                    .containsEntry("JPS_PROVIDERS_" + upper + "_ALLOW_PLAIN_HTTP", "true");
            assertThat(config.providers().get(provider).baseUrl()).isEqualTo(sandbox);
        }
    }

    @Test
    void theBrokerIsTheOfficialImageOfTheClientsVersionInKraftWithSingleNodeSettingsAndAHostListener() throws IOException {
        JsonNode kafka = compose().at("/services/kafka");
        String clients = matchIn(Files.readString(Path.of("pom.xml")), "<kafka\\.version>([^<]+)</kafka\\.version>");
        assertThat(kafka.get("image").asText()).isEqualTo("apache/kafka:" + clients);

        Map<String, String> env = environment(kafka);
        assertThat(env).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_CONTROLLER_QUORUM_VOTERS", env.get("KAFKA_NODE_ID") + "@kafka:9093")
                .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .containsEntry("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
                .containsEntry("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");

        String hostPort = matchIn(env.get("KAFKA_ADVERTISED_LISTENERS"), "EXTERNAL://localhost:(\\d+)");
        assertThat(env.get("KAFKA_LISTENERS")).contains("EXTERNAL://:" + hostPort);
        assertThat(strings(kafka.get("ports"))).contains("127.0.0.1:" + hostPort + ":" + hostPort);
        String internal = matchIn(env.get("KAFKA_ADVERTISED_LISTENERS"), "INTERNAL://(kafka:\\d+)");
        runServices().forEach((name, service) ->
                assertThat(environment(service)).as(name).containsEntry("JPS_BOOTSTRAP_SERVERS", internal));

        assertThat(namedVolumeAt(kafka, env.get("KAFKA_LOG_DIRS"))).as("the broker's data on a named volume").isTrue();
        assertThat(kafka.at("/healthcheck/test").toString()).contains("kafka-broker-api-versions.sh");
    }

    @Test
    void bothRolesRunAsOwnServicesThatWaitForTheirDependenciesAndOutlastTheDrainWhenStopped() throws IOException {
        Map<String, JsonNode> roles = runServices();
        assertThat(roles.values().stream().map(s -> option(strings(s.get("command")), "--role")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("seal-open", "dispatcher");
        Duration drainAndClose = DEFAULTS.dispatcher().drainTimeout().plus(STREAMS_CLOSE);
        roles.forEach((name, service) -> {
            assertThat(service.at("/depends_on/kafka/condition").asText()).as(name).isEqualTo("service_healthy");
            assertThat(service.at("/depends_on/keys/condition").asText()).as(name).isEqualTo("service_completed_successfully");
            String health = service.at("/healthcheck/test").toString();
            String probe = "http://127.0.0.1:" + DEFAULTS.metrics().port();
            assertThat(health).as(name).contains(probe + "/health/live").contains(probe + "/health/ready");
            assertThat(Duration.parse("PT" + service.get("stop_grace_period").asText().toUpperCase(Locale.ROOT)))
                    .as("stop_grace_period of %s", name).isGreaterThan(drainAndClose);
            assertThat(volumeMounts(service)).as(name).contains("keys:/app/keys:ro");
        });
        JsonNode sealOpen = compose().at("/services/seal-open");
        assertThat(namedVolumeAt(sealOpen, option(strings(sealOpen.get("command")), "--state-dir")))
                .as("the Streams state on a named volume").isTrue();
        assertThat(compose().at("/services/dispatcher/depends_on/sandbox/condition").asText()).isEqualTo("service_healthy");
    }

    @Test
    void theKeysServiceMakesAKeysetForEveryProviderIntoTheVolumesTheOthersRead() throws IOException {
        JsonNode services = compose().get("services");
        JsonNode keys = services.get("keys");
        String script = String.join(" ", strings(keys.get("command")));
        assertThat(script).contains("keys generate", "--keys /app/keys", "--sandbox-keys /app/sandbox-keys");
        DEFAULTS.providers().keySet().forEach(provider -> assertThat(script).as("keys for %s", provider).contains(provider));
        assertThat(volumeMounts(keys)).containsExactlyInAnyOrder("keys:/app/keys", "sandbox-keys:/app/sandbox-keys");
        assertThat(volumeMounts(services.get("sandbox"))).containsExactly("sandbox-keys:/app/sandbox-keys:ro");
        assertThat(compose().get("volumes").has("keys")).isTrue();
        assertThat(compose().get("volumes").has("sandbox-keys")).isTrue();
        fields(services).forEach((name, service) -> {
            if (!name.equals("keys") && APP_IMAGE.equals(service.path("image").asText())) {
                assertThat(service.at("/depends_on/keys/condition").asText()).as(name).isEqualTo("service_completed_successfully");
            }
        });
    }

    @Test
    void everyFileTheStackMountsFromTheRepositoryExists() throws IOException {
        fields(compose().get("services")).forEach((name, service) -> volumeMounts(service).stream()
                .filter(mount -> mount.startsWith("./"))
                .forEach(mount -> assertThat(Path.of(mount.substring(2, mount.indexOf(':')))).as("%s mounts %s", name, mount).exists()));
    }

    @Test
    void grafanaIsProvisionedWithTheComposePrometheusAndTheDashboardFile() throws IOException {
        JsonNode services = compose().get("services");
        List<String> grafanaMounts = volumeMounts(services.get("grafana"));

        Path datasources = hostDirMountedAt(grafanaMounts, "/etc/grafana/provisioning/datasources");
        List<JsonNode> sources = new ArrayList<>();
        try (var files = Files.list(datasources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
                YAML.readTree(file.toFile()).path("datasources").forEach(sources::add);
            }
        }
        assertThat(sources).singleElement().satisfies(source -> {
            assertThat(source.get("type").asText()).isEqualTo("prometheus");
            assertThat(source.get("isDefault").asBoolean()).isTrue();
            URI url = URI.create(source.get("url").asText());
            assertThat(services.has(url.getHost())).as("the data source names the compose service %s", url.getHost()).isTrue();
            assertThat(strings(services.get(url.getHost()).get("ports"))).anyMatch(p -> p.endsWith(":" + url.getPort()));
        });

        Path dashboards = hostDirMountedAt(grafanaMounts, "/etc/grafana/provisioning/dashboards");
        List<JsonNode> providers = new ArrayList<>();
        try (var files = Files.list(dashboards)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
                YAML.readTree(file.toFile()).path("providers").forEach(providers::add);
            }
        }
        assertThat(providers).singleElement().satisfies(provider -> {
            assertThat(provider.get("type").asText()).isEqualTo("file");
            String path = provider.at("/options/path").asText();
            assertThat(grafanaMounts).contains("./" + DASHBOARD + ":" + path + "/" + DASHBOARD.getFileName() + ":ro");
        });
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.get("uid").asText()).isNotBlank();
        assertThat(dashboard.has("__inputs")).as("an import-only dashboard cannot be provisioned").isFalse();
    }

    @Test
    void theImageIsBuiltInOneStageAndRunsTheJarUnprivilegedWithProbesInAnother() throws IOException {
        List<List<Instruction>> stages = stages(instructions(Files.readString(DOCKERFILE)));
        assertThat(stages).hasSizeGreaterThanOrEqualTo(2);

        List<Instruction> build = stages.get(0);
        Matcher from = Pattern.compile("(\\S+)\\s+AS\\s+(\\S+)", Pattern.CASE_INSENSITIVE).matcher(build.get(0).args());
        assertThat(from.matches()).as("the build stage is named: %s", build.get(0).args()).isTrue();
        assertThat(from.group(1)).contains("maven").contains("17");
        String buildStage = from.group(2);
        assertThat(order(build, "COPY pom.xml", "RUN mvn -q -B dependency:go-offline", "COPY src", "RUN mvn -q -B package -DskipTests"))
                .as("dependencies cached on a layer of their own, before the sources").isTrue();

        List<Instruction> runtime = stages.get(stages.size() - 1);
        String base = runtime.get(0).args();
        assertThat(base).startsWith("eclipse-temurin:17-jre").doesNotContain("alpine");
        assertThat(one(runtime, "COPY").args()).isEqualTo("--from=" + buildStage + " /build/target/jose-payment-streams.jar " + JAR);

        String user = one(runtime, "USER").args();
        String uid = user.split(":")[0];
        assertThat(uid).isNotIn("root", "0");
        String created = one(runtime, "RUN").args();
        assertThat(created).contains("--uid " + uid).contains("chown").contains("/app/state");

        String port = String.valueOf(DEFAULTS.metrics().port());
        assertThat(one(runtime, "EXPOSE").args()).isEqualTo(port);
        assertThat(one(runtime, "HEALTHCHECK").args()).contains("CMD curl").contains("http://127.0.0.1:" + port + "/health/live");
        assertThat(json(one(runtime, "VOLUME").args())).containsExactly("/app/state");
        assertThat(json(one(runtime, "ENTRYPOINT").args())).containsExactly(
                "java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", JAR);
        assertThat(json(one(runtime, "CMD").args())).containsExactly("run", "--role", "all");
    }

    @Test
    void noKeyStateOrLocalBuildEntersTheBuildContext() throws IOException {
        List<String> patterns = Files.readAllLines(DOCKERIGNORE).stream()
                .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertThat(patterns.get(0)).as("everything is left out unless named").isEqualTo("*");
        Set<String> allowed = patterns.stream().skip(1).map(p -> p.replaceFirst("^!", "").replaceAll("/$", ""))
                .collect(Collectors.toSet());
        assertThat(patterns.stream().skip(1)).allMatch(p -> p.startsWith("!"));
        assertThat(allowed).containsExactlyInAnyOrder("pom.xml", "src", "topology");
    }

    /** The compose services that run the pipeline ({@code run --role ...}), by name. */
    private static Map<String, JsonNode> runServices() throws IOException {
        Map<String, JsonNode> roles = new TreeMap<>();
        fields(compose().get("services")).forEach((name, service) -> {
            List<String> command = strings(service.get("command"));
            if (!command.isEmpty() && command.get(0).equals("run")) {
                roles.put(name, service);
            }
        });
        return roles;
    }

    private static Map<String, String> jpsVariables(JsonNode service) {
        Map<String, String> jps = new TreeMap<>();
        environment(service).forEach((name, value) -> {
            if (name.startsWith(ConfigLoader.ENV_PREFIX)) {
                jps.put(name, value);
            }
        });
        return jps;
    }

    private static Map<String, String> environment(JsonNode service) {
        JsonNode environment = service.path("environment");
        assertThat(environment.isMissingNode() || environment.isObject()).as("environment as a mapping").isTrue();
        Map<String, String> env = new TreeMap<>();
        environment.properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    private static boolean namedVolumeAt(JsonNode service, String path) throws IOException {
        JsonNode declared = compose().get("volumes");
        return volumeMounts(service).stream().map(m -> m.split(":")).anyMatch(m -> declared.has(m[0]) && m[1].equals(path));
    }

    private static Path hostDirMountedAt(List<String> mounts, String containerPath) {
        String mount = mounts.stream().filter(m -> m.split(":")[1].equals(containerPath)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at " + containerPath));
        Path dir = Path.of(mount.substring(2, mount.indexOf(':')));
        assertThat(dir).isDirectory();
        return dir;
    }

    private static List<String> volumeMounts(JsonNode service) {
        return strings(service.get("volumes"));
    }

    private static JsonNode jobNamed(JsonNode prometheus, String job) {
        for (JsonNode scrape : prometheus.path("scrape_configs")) {
            if (scrape.path("job_name").asText().equals(job)) {
                return scrape;
            }
        }
        throw new AssertionError("no scrape job " + job);
    }

    private static JsonNode compose() throws IOException {
        return YAML.readTree(COMPOSE.toFile());
    }

    private static Map<String, JsonNode> fields(JsonNode node) {
        Map<String, JsonNode> fields = new TreeMap<>();
        node.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
        return fields;
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node != null) {
            node.forEach(value -> values.add(value.asText()));
        }
        return values;
    }

    private static String option(List<String> command, String name) {
        int at = command.indexOf(name);
        assertThat(at).as("%s in %s", name, command).isNotNegative().isLessThan(command.size() - 1);
        return command.get(at + 1);
    }

    private static String matchIn(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("/%s/ in %s", regex, text).isTrue();
        return matcher.group(1);
    }

    record Instruction(String keyword, String args) {
    }

    /** Dockerfile instructions: comments dropped, continued lines joined. */
    private static List<Instruction> instructions(String dockerfile) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : dockerfile.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String whole = pending.toString().trim().replaceAll("\\s+", " ");
            pending.setLength(0);
            int space = whole.indexOf(' ');
            instructions.add(new Instruction(whole.substring(0, space).toUpperCase(Locale.ROOT), whole.substring(space + 1)));
        }
        return instructions;
    }

    private static List<List<Instruction>> stages(List<Instruction> instructions) {
        List<List<Instruction>> stages = new ArrayList<>();
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                stages.add(new ArrayList<>());
            }
            assertThat(stages).as("%s before any FROM", instruction).isNotEmpty();
            stages.get(stages.size() - 1).add(instruction);
        }
        return stages;
    }

    private static Instruction one(List<Instruction> stage, String keyword) {
        List<Instruction> found = stage.stream().filter(i -> i.keyword().equals(keyword)).toList();
        assertThat(found).as("%s in the stage", keyword).hasSize(1);
        return found.get(0);
    }

    /** Whether the instructions starting with these texts appear in this order. */
    private static boolean order(List<Instruction> stage, String... starts) {
        int next = 0;
        for (Instruction instruction : stage) {
            if (next < starts.length && (instruction.keyword() + " " + instruction.args()).startsWith(starts[next])) {
                next++;
            }
        }
        return next == starts.length;
    }

    private static List<String> json(String array) throws IOException {
        return List.of(new ObjectMapper().readValue(array, String[].class));
    }

    record Run(int exitCode, String output) {
    }

    private static Run run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return new Run(process.exitValue(), output);
    }
}
