package io.jps.observe;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The meters of one name, one per combination of label values, each built and registered once. Building a
 * meter and looking it up in the registry costs about a microsecond, which every record would pay otherwise.
 */
final class MeterTable<M> {

    private final Map<List<String>, M> meters = new ConcurrentHashMap<>();
    private final Function<List<String>, M> register;

    MeterTable(Function<List<String>, M> register) {
        this.register = register;
    }

    /** @param labelValues in the order {@code register} reads them; values from a closed set only */
    M get(String... labelValues) {
        return meters.computeIfAbsent(Arrays.asList(labelValues), register);
    }
}
