package io.jps.sandbox;

import io.jps.config.ConfigException;
import io.jps.sandbox.FaultPlan.RequestClass;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How often each fault happens: per request class, the share of requests (idempotency keys) in it, and per
 * answered attempt, the chance of added latency. The class shares add up to at most 1; the rest is CLEAN.
 */
public record FaultRates(Map<RequestClass, Double> classes, double latency) {

    public static final FaultRates NONE = new FaultRates(Map.of(), 0);

    /** Rounding in rates given as decimals (0.1 + 0.2 ...) must not push a valid sum over 1. */
    private static final double SUM_TOLERANCE = 1e-9;

    public FaultRates {
        Map<RequestClass, Double> copy = new EnumMap<>(RequestClass.class);
        double sum = 0;
        for (Map.Entry<RequestClass, Double> entry : classes.entrySet()) {
            if (entry.getKey() == RequestClass.CLEAN) {
                throw new ConfigException("fault rate 'clean' cannot be set: it is what the other rates leave");
            }
            checkRate("fault rate '" + entry.getKey().settingName() + "'", entry.getValue());
            copy.put(entry.getKey(), entry.getValue());
            sum += entry.getValue();
        }
        if (sum > 1 + SUM_TOLERANCE) {
            throw new ConfigException("fault rates add up to " + sum + ": a request is in one class at most, so the "
                    + "rates of down, 5xx, 429, hang, reset, tamper, wrong-signer and not-jose must add up to 1 or less");
        }
        checkRate("fault rate 'latency'", latency);
        classes = Collections.unmodifiableMap(copy);
    }

    /** The share of requests in {@code requestClass} (CLEAN: what the others leave). */
    public double of(RequestClass requestClass) {
        if (requestClass == RequestClass.CLEAN) {
            return Math.max(0, 1 - classes.values().stream().mapToDouble(Double::doubleValue).sum());
        }
        return classes.getOrDefault(requestClass, 0.0);
    }

    public FaultRates with(RequestClass requestClass, double rate) {
        Map<RequestClass, Double> changed = new EnumMap<>(RequestClass.class);
        changed.putAll(classes);
        changed.put(requestClass, rate);
        return new FaultRates(changed, latency);
    }

    public FaultRates withLatency(double rate) {
        return new FaultRates(classes, rate);
    }

    static void checkRate(String what, Double rate) {
        if (rate == null || !(rate >= 0 && rate <= 1)) {
            throw new ConfigException(what + ": " + rate + " is not within [0, 1]");
        }
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        classes.forEach((requestClass, rate) -> {
            if (rate > 0) {
                parts.add(requestClass.settingName() + " " + rate);
            }
        });
        if (latency > 0) {
            parts.add("latency " + latency);
        }
        return parts.isEmpty() ? "no faults" : "faults " + String.join(", ", parts);
    }
}
