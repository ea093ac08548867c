package io.jps.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jps.record.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the status page shows ({@code GET /status.json}), read from the meter registry, so that it shows the
 * very figures {@code /metrics} serves. Rates are left to the page: it divides what changed between two reads.
 */
final class StatusReport {

    record Status(String version, boolean ready, List<StageState> stages, List<StageRecords> records,
                  List<DeadLetterCount> deadLetters, Dispatch dispatch, List<Lag> lag, List<KeyExpiry> keys) {
    }

    record StageState(String stage, String state) {
    }

    /** Records a stage has handled for a provider, whatever became of them. */
    record StageRecords(String stage, String provider, long count) {
    }

    record DeadLetterCount(String topic, String reason, long count) {
    }

    record Dispatch(long inFlight, List<ProviderDispatch> providers) {
    }

    record ProviderDispatch(String provider, long retries, long giveUps) {
    }

    record Lag(String stage, String group, String topic, Double records) {
    }

    record KeyExpiry(String provider, String account, String role, String kid, double seconds) {
    }

    /** Another branch registers this gauge; found by its exposed name, whatever Micrometer name it was given. */
    private static final String KEY_EXPIRY = "jps_key_expiry_seconds";

    private final MeterRegistry registry;

    StatusReport(MeterRegistry registry) {
        this.registry = registry;
    }

    String json() {
        try {
            return Json.MAPPER.writeValueAsString(status());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    Status status() {
        List<StageState> stages = new ArrayList<>();
        gauges("jps.stage.state").stream().filter(g -> g.value() == 1)
                .forEach(g -> stages.add(new StageState(tag(g, "stage"), tag(g, "state"))));
        stages.sort(Comparator.comparing(s -> stageOrder(s.stage())));

        List<StageRecords> records = new ArrayList<>();
        records.addAll(perProvider("seal", "jps.seals"));
        records.addAll(perProvider("dispatch", "jps.dispatch.attempts"));
        records.addAll(perProvider("open", "jps.opens"));

        List<DeadLetterCount> deadLetters = counters("jps.dlq.records").stream()
                .map(c -> new DeadLetterCount(tag(c, "topic"), tag(c, "reason"), Math.round(c.count())))
                .sorted(Comparator.comparing(DeadLetterCount::topic).thenComparing(DeadLetterCount::reason)).toList();

        Map<String, Long> retries = sumByProvider("jps.dispatch.retries");
        Map<String, Long> giveUps = sumByProvider("jps.dispatch.give.ups");
        List<ProviderDispatch> dispatch = new ArrayList<>();
        retries.keySet().forEach(p -> dispatch.add(new ProviderDispatch(p, retries.get(p), giveUps.getOrDefault(p, 0L))));
        long inFlight = gauges("jps.dispatch.in.flight").stream().mapToLong(g -> Math.round(g.value())).sum();

        List<Lag> lag = gauges("jps.consumer.lag").stream()
                .map(g -> new Lag(tag(g, "stage"), tag(g, "group"), tag(g, "topic"), Double.isNaN(g.value()) ? null : g.value()))
                .sorted(Comparator.comparing((Lag l) -> stageOrder(l.stage())).thenComparing(Lag::topic)).toList();

        List<KeyExpiry> keys = registry.getMeters().stream().filter(m -> exposedName(m).equals(KEY_EXPIRY))
                .filter(Gauge.class::isInstance).map(Gauge.class::cast)
                .map(g -> new KeyExpiry(tag(g, "provider"), tag(g, "account"), tag(g, "role"), tag(g, "kid"), g.value()))
                .sorted(Comparator.comparingDouble(KeyExpiry::seconds)).toList();

        boolean ready = gauges("jps.ready").stream().anyMatch(g -> g.value() == 1);
        return new Status(BuildVersion.current(), ready, stages, records, deadLetters, new Dispatch(inFlight, dispatch), lag, keys);
    }

    private List<StageRecords> perProvider(String stage, String counter) {
        List<StageRecords> rows = new ArrayList<>();
        sumByProvider(counter).forEach((provider, count) -> {
            // Unknown providers are shown once something arrives for one; configured ones always.
            if (!provider.equals(PipelineMetrics.UNKNOWN) || count > 0) {
                rows.add(new StageRecords(stage, provider, count));
            }
        });
        return rows;
    }

    private Map<String, Long> sumByProvider(String counter) {
        Map<String, Long> sums = new TreeMap<>();
        counters(counter).forEach(c -> sums.merge(tag(c, "provider"), Math.round(c.count()), Long::sum));
        return sums;
    }

    private List<Counter> counters(String name) {
        return List.copyOf(Search.in(registry).name(name).counters());
    }

    private List<Gauge> gauges(String name) {
        return List.copyOf(Search.in(registry).name(name).gauges());
    }

    private String exposedName(Meter meter) {
        Meter.Id id = meter.getId();
        return registry.config().namingConvention().name(id.getName(), id.getType(), id.getBaseUnit());
    }

    private static String tag(Meter meter, String key) {
        String value = meter.getId().getTag(key);
        return value == null ? "" : value;
    }

    private static int stageOrder(String stage) {
        return switch (stage) {
            case "seal" -> 0;
            case "dispatch" -> 1;
            case "open" -> 2;
            default -> 3;
        };
    }
}
