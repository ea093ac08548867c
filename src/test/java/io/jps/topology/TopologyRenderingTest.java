package io.jps.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.engine.Engine;
import io.jps.observe.PipelineMetrics;
import io.jps.support.Engines;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * The rendered topology committed under {@code topology/} is what the code builds. When the topology changes,
 * regenerate both files with {@code mvn -q test -Dtest=TopologyRenderingTest -Djps.topology.update=true} and
 * commit them with the change.
 */
class TopologyRenderingTest {

    private static final Path TEXT = Path.of("topology", "topology.txt");
    private static final Path MERMAID = Path.of("topology", "topology.mmd");
    private static final String HOW = "the committed rendering differs from what the code builds; regenerate it with "
            + "`mvn -q test -Dtest=TopologyRenderingTest -Djps.topology.update=true` and commit topology/";

    @Test
    void committedRenderingMatchesTheBuiltTopology() throws Exception {
        TopologyDescription description;
        try (Engine engine = Engines.engine()) {
            PipelineTopics topics = new PipelineTopics(engine.config());
            description = PipelineTopology.build(topics, engine, engine.attestor(),
                    new PipelineMetrics(new SimpleMeterRegistry(), engine.config().providers().keySet())).describe();
        }
        String text = TopologyRendering.text(description);
        String mermaid = TopologyRendering.mermaid(description);
        if (Boolean.getBoolean("jps.topology.update")) {
            Files.writeString(TEXT, text);
            Files.writeString(MERMAID, mermaid);
        }
        assertThat(Files.exists(TEXT)).as(HOW).isTrue();
        assertThat(Files.readString(TEXT)).as(HOW).isEqualTo(text);
        assertThat(Files.readString(MERMAID)).as(HOW).isEqualTo(mermaid);
    }
}
