package io.jps.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every PromQL expression of {@code monitoring/}: the alert rules and the dashboard's panels and variables. */
final class MonitoringExpressions {

    static final Path DIRECTORY = Path.of("monitoring");
    static final Path ALERTS = DIRECTORY.resolve("alerts.yml");
    static final Path DASHBOARD = DIRECTORY.resolve("grafana/jose-payment-streams.json");

    /**
     * Metrics the dashboard or the alerts use that this branch does not export yet, and the branch that adds
     * each; expressions on them are skipped. Empty it when those are merged.
     */
    static final Map<String, String> NOT_YET_EXPORTED = Map.of(
            "jps_key_expiry_seconds", "keys (key lifetime gauge)",
            "jps_provider_circuit_state", "dispatch (circuit breaker per provider)");

    /** What Grafana puts in place of its variables, for asking Prometheus directly. */
    private static final Map<String, String> GRAFANA_VARIABLES = Map.of(
            "$__rate_interval", "1m",
            "$__range", "5m",
            "$__interval", "15s",
            "$provider", ".*");

    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(([^,]+),");

    record Expression(String where, String promql) {
        boolean usesNotYetExported() {
            return NOT_YET_EXPORTED.keySet().stream().anyMatch(promql::contains);
        }
    }

    private MonitoringExpressions() {
    }

    static List<Expression> all() throws IOException {
        List<Expression> all = new ArrayList<>();
        JsonNode alerts = new ObjectMapper(new YAMLFactory()).readTree(ALERTS.toFile());
        for (JsonNode group : alerts.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                all.add(new Expression("alert " + rule.get("alert").asText(), rule.get("expr").asText()));
            }
        }
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                all.add(new Expression("panel \"" + panel.get("title").asText() + "\" " + target.get("refId").asText(),
                        grafanaVariablesReplaced(target.get("expr").asText())));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher labelValues = LABEL_VALUES.matcher(variable.path("definition").asText());
            if (labelValues.find()) {
                all.add(new Expression("variable $" + variable.get("name").asText(), labelValues.group(1).trim()));
            }
        }
        return all;
    }

    static String grafanaVariablesReplaced(String expression) {
        String replaced = expression;
        for (Map.Entry<String, String> variable : GRAFANA_VARIABLES.entrySet()) {
            replaced = replaced.replace(variable.getKey(), variable.getValue());
        }
        return replaced;
    }
}
