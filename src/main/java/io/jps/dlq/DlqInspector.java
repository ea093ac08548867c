package io.jps.dlq;

import io.jps.kafka.KafkaConnection;
import io.jps.topology.PipelineTopics;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * {@code dlq inspect}: what a dead-letter topic holds, from its headers alone: counts by reason and provider (with
 * how many were replayed already, and whether a replay would need {@code --force}), and per partition the first and
 * last offsets and times. Never a record's value.
 */
public final class DlqInspector {

    /** One reason and provider: how many dead letters, and how many of them were moved back already. */
    public record Count(long letters, long replayed) {
        Count plus(Count other) {
            return new Count(letters + other.letters, replayed + other.replayed);
        }
    }

    /** One partition's span. */
    public record Span(long firstOffset, long firstTime, long lastOffset, long lastTime, long letters) {
        Span plus(DeadLetterView letter) {
            return new Span(Math.min(firstOffset, letter.offset()), letter.offset() < firstOffset ? letter.timestamp() : firstTime,
                    Math.max(lastOffset, letter.offset()), letter.offset() > lastOffset ? letter.timestamp() : lastTime, letters + 1);
        }
    }

    /** @param counts by reason, then provider */
    public record Summary(String topic, DeadLetterKind kind, Map<String, Map<String, Count>> counts, Map<Integer, Span> partitions) {
        public long letters() {
            return partitions.values().stream().mapToLong(Span::letters).sum();
        }

        public long replayed() {
            return counts.values().stream().flatMap(byProvider -> byProvider.values().stream()).mapToLong(Count::replayed).sum();
        }
    }

    private final PipelineTopics topics;
    private final KafkaConnection kafka;

    public DlqInspector(PipelineTopics topics, KafkaConnection kafka) {
        this.topics = topics;
        this.kafka = kafka;
    }

    public Summary inspect(String topic, ReplayFilter filter) throws InterruptedException {
        DeadLetterKind kind = DeadLetterKind.of(topics, topic).orElseThrow(() -> new IllegalArgumentException(
                topic + " is not one of the dead-letter topics of the configuration"));
        MovedOffsets replayed;
        try (Admin client = kafka.admin()) {
            Uuid topicId = TopicDescriptions.topicId(client, topic);
            if (topicId == null) {
                throw new IllegalArgumentException("topic " + topic + " does not exist");
            }
            replayed = new ReplayMarkers(topics.dlqReplayed()).load(client, kafka, topic, topicId);
        }
        Map<String, Map<String, Count>> counts = new TreeMap<>();
        Map<Integer, Span> partitions = new TreeMap<>();
        DeadLetterScan.scan(kafka, topic, filter.since(), record -> {
            DeadLetterView letter = DeadLetterView.of(record);
            if (!filter.matches(letter)) {
                return;
            }
            counts.computeIfAbsent(letter.reason(), r -> new TreeMap<>())
                    .merge(letter.provider(), new Count(1, replayed.contains(letter.partition(), letter.offset()) ? 1 : 0),
                            Count::plus);
            partitions.merge(letter.partition(), new Span(letter.offset(), letter.timestamp(), letter.offset(), letter.timestamp(), 1),
                    (was, one) -> was.plus(letter));
        });
        return new Summary(topic, kind, counts, partitions);
    }

    public static void print(Summary summary, PrintWriter out) {
        out.println(summary.topic() + ": " + summary.letters() + " dead letter(s), " + summary.replayed() + " of them replayed already");
        if (summary.letters() == 0) {
            out.flush();
            return;
        }
        out.printf("%-20s %-10s %8s %9s  %s%n", "reason", "provider", "letters", "replayed", "replay");
        summary.counts().forEach((reason, byProvider) -> byProvider.forEach((provider, count) ->
                out.printf("%-20s %-10s %8d %9d  %s%n", reason, provider, count.letters(), count.replayed(),
                        ReplayRisk.of(summary.kind(), reason).description())));
        out.printf("%-9s %12s %-24s %12s %-24s %8s%n", "partition", "first offset", "first written", "last offset", "last written", "letters");
        summary.partitions().forEach((partition, span) -> out.printf("%-9d %12d %-24s %12d %-24s %8d%n", partition,
                span.firstOffset(), Instant.ofEpochMilli(span.firstTime()), span.lastOffset(), Instant.ofEpochMilli(span.lastTime()),
                span.letters()));
        out.flush();
    }
}
