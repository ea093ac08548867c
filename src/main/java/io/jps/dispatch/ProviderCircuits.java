package io.jps.dispatch;

import io.jps.observe.PipelineMetrics;
import io.jps.profile.ProviderProfile;
import java.util.HashMap;
import java.util.Map;

/** A circuit breaker per provider: one provider that is down pauses its own requests only. */
final class ProviderCircuits {

    private final Map<String, ProviderCircuit> circuits;

    ProviderCircuits(Map<String, ProviderProfile> profiles, PipelineMetrics metrics) {
        Map<String, ProviderCircuit> byProvider = new HashMap<>();
        profiles.forEach((name, profile) -> byProvider.put(name, new ProviderCircuit(name, profile.dispatch().circuitBreaker(),
                metrics)));
        this.circuits = Map.copyOf(byProvider);
    }

    ProviderCircuit of(String provider) {
        ProviderCircuit circuit = circuits.get(provider);
        if (circuit == null) {
            throw new IllegalArgumentException("no circuit for provider " + provider);
        }
        return circuit;
    }
}
