package io.jps.app;

import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.PaymentResult;
import io.jps.topology.HeaderNames;
import io.jps.topology.PipelineTopics;
import io.jps.topology.RecordIdentity;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What became of a demo batch: per provider, where each request ended, why, and how long it took. */
final class DemoSummary {

    private static final List<String> COLUMNS = List.of("succeeded", "provider error", "dlq.request", "dlq.dispatch",
            "dlq.decryption", "dlq.signature");

    /** Where the person who ran the demo can look next, while it keeps running. */
    record WhereToLook(int metricsPort, String bootstrapServers, boolean keepRunning) {
    }

    private DemoSummary() {
    }

    /** @return whether every request ended exactly once */
    static boolean print(List<PaymentRequest> batch, List<ConsumerRecord<byte[], byte[]>> outcomes, PipelineTopics topics,
                         double seconds, WhereToLook next, PrintWriter out) {
        Map<String, String> providerOf = new HashMap<>();
        batch.forEach(r -> providerOf.put(r.requestId(), r.provider()));
        Map<String, Map<String, Integer>> table = new TreeMap<>();
        Map<String, Integer> reasons = new TreeMap<>();
        Map<String, Integer> deadLetterTopics = new TreeMap<>();
        Map<String, Integer> endings = new HashMap<>();
        List<Long> latencies = new ArrayList<>();
        List<Long> retriedLatencies = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : outcomes) {
            String requestId = RecordIdentity.text(record.headers(), HeaderNames.REQUEST_ID);
            if (!providerOf.containsKey(requestId)) {
                continue;
            }
            endings.merge(requestId, 1, Integer::sum);
            String column = column(record, topics);
            if (column.equals("succeeded") || column.equals("provider error")) {
                PaymentResult result = result(record);
                column = result.outcome() == PaymentResult.Outcome.SUCCEEDED ? "succeeded" : "provider error";
                if (result.sealedAt() != null) {
                    (result.attempts() > 1 ? retriedLatencies : latencies).add(result.openedAt() - result.sealedAt());
                }
            } else {
                reasons.merge(column + " " + RecordIdentity.text(record.headers(), HeaderNames.ERROR_REASON), 1, Integer::sum);
                deadLetterTopics.merge(record.topic(), 1, Integer::sum);
            }
            table.computeIfAbsent(providerOf.get(requestId), p -> new TreeMap<>()).merge(column, 1, Integer::sum);
        }

        out.println();
        out.printf("%-10s %9s", "provider", "requests");
        COLUMNS.forEach(c -> out.printf(" %15s", c));
        out.println();
        Map<String, Integer> perProvider = new TreeMap<>();
        batch.forEach(r -> perProvider.merge(r.provider(), 1, Integer::sum));
        perProvider.forEach((provider, count) -> {
            out.printf("%-10s %9d", provider, count);
            COLUMNS.forEach(c -> out.printf(" %15d", table.getOrDefault(provider, Map.of()).getOrDefault(c, 0)));
            out.println();
        });
        if (!reasons.isEmpty()) {
            out.println();
            out.println("dead letters by reason:");
            reasons.forEach((reason, count) -> out.printf("  %-36s %6d%n", reason, count));
        }
        long missing = batch.stream().filter(r -> !endings.containsKey(r.requestId())).count();
        long refusedAtSeal = deadLetterTopics.getOrDefault(topics.dlqRequest().name(), 0);
        out.println();
        out.printf("sealed %d of %d requests (%d refused at the seal stage, %d not accounted for)%n",
                batch.size() - missing - refusedAtSeal, batch.size(), refusedAtSeal, missing);
        long twice = endings.values().stream().filter(n -> n > 1).count();
        out.println();
        out.printf("%d requests in %.1f s (%.0f requests/s, end to end including retries and backoff)%n", batch.size(),
                seconds, batch.size() / seconds);
        if (!latencies.isEmpty()) {
            latencies.sort(Long::compare);
            out.printf("sealed -> opened latency, answered at the first attempt (%d): p50 %d ms, p99 %d ms, max %d ms%n",
                    latencies.size(), percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.get(latencies.size() - 1));
        }
        if (!retriedLatencies.isEmpty()) {
            retriedLatencies.sort(Long::compare);
            out.printf("sealed -> opened latency, retried (%d): p50 %d ms, max %d ms%n", retriedLatencies.size(),
                    percentile(retriedLatencies, 0.5), retriedLatencies.get(retriedLatencies.size() - 1));
        }
        out.printf("every request accounted for exactly once: %s%s%n", missing == 0 && twice == 0 ? "yes" : "NO",
                missing == 0 && twice == 0 ? "" : " (" + missing + " missing, " + twice + " more than once)");
        printWhereToLook(next, deadLetterTopics.keySet(), out);
        out.flush();
        return missing == 0 && twice == 0;
    }

    private static void printWhereToLook(WhereToLook next, Set<String> deadLetterTopics, PrintWriter out) {
        out.println();
        out.println(next.keepRunning() ? "Where to look next:" : "Where to look next (these stay up with --keep-running):");
        out.printf("  status page   http://127.0.0.1:%d/%n", next.metricsPort());
        out.printf("  metrics       http://127.0.0.1:%d/metrics   (curl -s ... | grep ^jps_)%n", next.metricsPort());
        for (String topic : deadLetterTopics) {
            out.printf("  dead letters  java -jar target/jose-payment-streams.jar dlq inspect --bootstrap-servers %s --topic %s%n",
                    next.bootstrapServers(), topic);
        }
    }

    private static String column(ConsumerRecord<byte[], byte[]> record, PipelineTopics topics) {
        Map<String, String> dlqs = Map.of(topics.dlqRequest().name(), "dlq.request", topics.dlqDispatch().name(), "dlq.dispatch",
                topics.dlqDecryption().name(), "dlq.decryption", topics.dlqSignature().name(), "dlq.signature");
        return dlqs.getOrDefault(record.topic(), "succeeded");
    }

    private static PaymentResult result(ConsumerRecord<byte[], byte[]> record) {
        try {
            return Json.MAPPER.readValue(record.value(), PaymentResult.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
    }
}
