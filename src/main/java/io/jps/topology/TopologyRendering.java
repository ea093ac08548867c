package io.jps.topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.TopologyDescription;

/**
 * The topology as Kafka describes it, and the same as a Mermaid diagram: what {@code topology/} holds, so a
 * reader sees the pipeline without running it, and a test sees when the code and the picture disagree.
 */
public final class TopologyRendering {

    private TopologyRendering() {
    }

    public static String text(TopologyDescription description) {
        return description.toString().strip() + "\n";
    }

    public static String mermaid(TopologyDescription description) {
        List<String> lines = new ArrayList<>();
        lines.add("flowchart LR");
        List<TopologyDescription.Subtopology> subtopologies = new ArrayList<>(description.subtopologies());
        subtopologies.sort(Comparator.comparingInt(TopologyDescription.Subtopology::id));
        for (TopologyDescription.Subtopology subtopology : subtopologies) {
            lines.add("  subgraph sub" + subtopology.id() + "[sub-topology " + subtopology.id() + "]");
            List<TopologyDescription.Node> nodes = new ArrayList<>(subtopology.nodes());
            nodes.sort(Comparator.comparing(TopologyDescription.Node::name));
            for (TopologyDescription.Node node : nodes) {
                lines.add("    " + id(node.name()) + "[" + node.name() + "]");
            }
            lines.add("  end");
            for (TopologyDescription.Node node : nodes) {
                if (node instanceof TopologyDescription.Source source) {
                    source.topicSet().stream().sorted().forEach(topic -> lines.add("  " + topic(topic) + " --> " + id(node.name())));
                }
                node.successors().stream().map(TopologyDescription.Node::name).sorted()
                        .forEach(next -> lines.add("  " + id(node.name()) + " --> " + id(next)));
                if (node instanceof TopologyDescription.Processor processor) {
                    processor.stores().stream().sorted().forEach(store ->
                            lines.add("  " + id(node.name()) + " -.- " + id("store-" + store) + "[(" + store + ")]"));
                }
                if (node instanceof TopologyDescription.Sink sink) {
                    String target = sink.topic() != null ? topic(sink.topic())
                            : id("topic-per-provider") + "[/each provider's result topic/]";
                    lines.add("  " + id(node.name()) + " --> " + target);
                }
            }
        }
        return String.join("\n", lines) + "\n";
    }

    private static String topic(String name) {
        return id("topic-" + name) + "[/" + name + "/]";
    }

    private static String id(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "_");
    }
}
