package io.jps.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jps.support.TestTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The files of {@code monitoring/} as Prometheus's own tool judges them, and the dashboard's shape. */
class MonitoringFilesTest {

    @Test
    void prometheusAcceptsTheScrapeConfigAndTheAlertRules() throws Exception {
        Path promtool = TestTools.require("promtool");
        assertThat(run(promtool.toString(), "check", "config", "prometheus.yml")).contains("SUCCESS");
        assertThat(run(promtool.toString(), "check", "rules", "alerts.yml")).contains("SUCCESS: 5 rules found");
    }

    @Test
    void eachAlertFiresOnWhatItIsForAndOnlyThen() throws Exception {
        Path promtool = TestTools.require("promtool");
        assertThat(run(promtool.toString(), "test", "rules", "alerts-test.yml")).contains("SUCCESS");
    }

    @Test
    void everyPanelDescribesItselfQueriesTheChosenDatasourceAndOverlapsNoOther() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(MonitoringExpressions.DASHBOARD.toFile());
        Set<Integer> ids = new HashSet<>();
        boolean[][] grid = new boolean[200][24];
        for (JsonNode panel : dashboard.get("panels")) {
            String title = panel.get("title").asText();
            assertThat(ids.add(panel.get("id").asInt())).as("id of %s", title).isTrue();
            assertThat(panel.path("description").asText()).as("description of %s", title).isNotBlank();
            assertThat(panel.path("targets")).as("queries of %s", title).isNotEmpty();
            for (JsonNode target : panel.get("targets")) {
                assertThat(target.path("expr").asText()).as("query of %s", title).isNotBlank();
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            }
            JsonNode at = panel.get("gridPos");
            for (int y = at.get("y").asInt(); y < at.get("y").asInt() + at.get("h").asInt(); y++) {
                for (int x = at.get("x").asInt(); x < at.get("x").asInt() + at.get("w").asInt(); x++) {
                    assertThat(grid[y][x]).as("%s overlaps another panel at %d,%d", title, x, y).isFalse();
                    grid[y][x] = true;
                }
            }
        }
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(MonitoringExpressions.DIRECTORY.toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
        return output;
    }
}
