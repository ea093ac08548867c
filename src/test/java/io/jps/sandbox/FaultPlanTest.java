package io.jps.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jps.config.ConfigException;
import io.jps.dispatch.IdempotencyKeys;
import io.jps.sandbox.FaultPlan.Decision;
import io.jps.sandbox.FaultPlan.Fault;
import io.jps.sandbox.FaultPlan.RequestClass;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

    private static final FaultRates RATES = FaultRates.NONE
            .with(RequestClass.DOWN, 0.05)
            .with(RequestClass.SERVER_ERROR_ONCE, 0.10)
            .with(RequestClass.RATE_LIMITED_ONCE, 0.10)
            .with(RequestClass.HANG_ONCE, 0.05)
            .with(RequestClass.RESET_ONCE, 0.05)
            .with(RequestClass.TAMPERED, 0.05)
            .with(RequestClass.WRONG_SIGNER, 0.05)
            .with(RequestClass.NOT_JOSE, 0.05)
            .withLatency(0.3);
    private static final List<String> KEYS = IntStream.range(0, 20_000)
            .mapToObj(i -> IdempotencyKeys.of("juspay", "default", "r-" + i)).toList();

    @Test
    void theSameSeedGivesTheSameDecisionsInAnyOrder() {
        FaultPlan plan = new FaultPlan(42, RATES, 0.5);
        Map<String, List<Decision>> inOrder = decisions(plan, KEYS.subList(0, 2_000));
        List<String> shuffled = new ArrayList<>(KEYS.subList(0, 2_000));
        Collections.shuffle(shuffled, new Random(7));

        assertThat(decisions(new FaultPlan(42, RATES, 0.5), shuffled)).isEqualTo(inOrder);
    }

    @Test
    void anotherSeedGivesOtherDecisions() {
        FaultPlan one = new FaultPlan(42, RATES, 0);
        FaultPlan other = new FaultPlan(43, RATES, 0);

        long differing = KEYS.stream().limit(1_000).filter(key -> one.classify(key) != other.classify(key)).count();

        assertThat(differing).isGreaterThan(400);
    }

    @Test
    void eachClassTakesItsShareOfRequestsExactlySoForAFixedSeed() {
        FaultPlan plan = new FaultPlan(42, RATES, 0);
        Map<RequestClass, Integer> counts = new EnumMap<>(RequestClass.class);
        KEYS.forEach(key -> counts.merge(plan.classify(key), 1, Integer::sum));

        for (RequestClass requestClass : RequestClass.values()) {
            assertThat(counts.getOrDefault(requestClass, 0) / (double) KEYS.size()).as(requestClass.name())
                    .isCloseTo(RATES.of(requestClass), within(0.01));
        }
        // SHA-256 of seed and key: these numbers hold on every JVM, and change only if the plan's draw does.
        assertThat(counts).isEqualTo(Map.of(
                RequestClass.DOWN, 947,
                RequestClass.SERVER_ERROR_ONCE, 1986,
                RequestClass.RATE_LIMITED_ONCE, 1934,
                RequestClass.HANG_ONCE, 1012,
                RequestClass.RESET_ONCE, 965,
                RequestClass.TAMPERED, 1005,
                RequestClass.WRONG_SIGNER, 1000,
                RequestClass.NOT_JOSE, 1001,
                RequestClass.CLEAN, 10150));
    }

    @Test
    void transientClassesFailTheFirstAttemptOnlyAndTheOthersEveryAttempt() {
        FaultPlan plan = new FaultPlan(42, RATES.withLatency(0), 0);
        for (RequestClass requestClass : RequestClass.values()) {
            String key = KEYS.stream().filter(k -> plan.classify(k) == requestClass).findFirst().orElseThrow();
            for (int attempt = 1; attempt <= 5; attempt++) {
                Decision decision = plan.decide(key, attempt);
                boolean faulted = requestClass.fault() != null && (requestClass.everyAttempt() || attempt == 1);
                assertThat(decision.requestClass()).isEqualTo(requestClass);
                assertThat(decision.faults()).as(requestClass + " attempt " + attempt)
                        .isEqualTo(faulted ? Set.of(requestClass.fault()) : Set.of());
            }
        }
        assertThat(RequestClass.DOWN.everyAttempt()).isTrue();
        assertThat(RequestClass.RATE_LIMITED_ONCE.everyAttempt()).isFalse();
    }

    @Test
    void latencyIsDrawnPerAttemptAndDirectAnswersPerRequest() {
        FaultPlan plan = new FaultPlan(42, RATES, 0.25);
        long delayed = 0;
        long changing = 0;
        long direct = 0;
        for (String key : KEYS) {
            boolean first = plan.decide(key, 1).has(Fault.LATENCY);
            boolean second = plan.decide(key, 2).has(Fault.LATENCY);
            delayed += (first ? 1 : 0) + (second ? 1 : 0);
            changing += first != second ? 1 : 0;
            boolean directFirst = plan.decide(key, 1).directAnswer();
            assertThat(plan.decide(key, 3).directAnswer()).isEqualTo(directFirst);
            direct += directFirst ? 1 : 0;
        }
        assertThat(delayed / (2.0 * KEYS.size())).isCloseTo(0.3, within(0.01));
        assertThat(changing / (double) KEYS.size()).isCloseTo(2 * 0.3 * 0.7, within(0.02));
        assertThat(direct / (double) KEYS.size()).isCloseTo(0.25, within(0.01));
    }

    @Test
    void noRatesNoFaults() {
        FaultPlan plan = new FaultPlan(42, FaultRates.NONE, 0);

        assertThat(KEYS.stream().limit(1_000).map(key -> plan.decide(key, 1)))
                .allSatisfy(decision -> {
                    assertThat(decision.requestClass()).isEqualTo(RequestClass.CLEAN);
                    assertThat(decision.faults()).isEmpty();
                    assertThat(decision.directAnswer()).isFalse();
                });
    }

    @Test
    void refusesRatesThatCannotBe() {
        assertThatThrownBy(() -> FaultRates.NONE.with(RequestClass.DOWN, 0.6).with(RequestClass.NOT_JOSE, 0.6))
                .isInstanceOf(ConfigException.class).hasMessageContaining("add up to");
        assertThatThrownBy(() -> FaultRates.NONE.with(RequestClass.TAMPERED, -0.1))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'tamper'");
        assertThatThrownBy(() -> FaultRates.NONE.withLatency(1.5))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'latency'");
        assertThatThrownBy(() -> FaultRates.NONE.with(RequestClass.CLEAN, 0.5)).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> new FaultPlan(1, RATES, 0).decide("k", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(FaultRates.NONE.with(RequestClass.DOWN, 0.7).with(RequestClass.HANG_ONCE, 0.1).with(RequestClass.RESET_ONCE, 0.2)
                .of(RequestClass.CLEAN)).isCloseTo(0, within(1e-9));
    }

    private static Map<String, List<Decision>> decisions(FaultPlan plan, List<String> keys) {
        Map<String, List<Decision>> decisions = new HashMap<>();
        for (String key : keys) {
            decisions.put(key, List.of(plan.decide(key, 1), plan.decide(key, 2), plan.decide(key, 3)));
        }
        return decisions;
    }
}
