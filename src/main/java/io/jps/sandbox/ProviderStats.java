package io.jps.sandbox;

import io.jps.sandbox.FaultPlan.Fault;
import java.util.Map;

/**
 * What one provider's endpoint has seen so far.
 *
 * @param received every request that reached it
 * @param accepted the requests that passed its checks (faults may still have been injected into them)
 * @param rejected the refused ones, by reason
 * @param faults   the faults injected, by kind
 */
public record ProviderStats(long received, long accepted, Map<Refusal, Long> rejected, Map<Fault, Long> faults) {

    public ProviderStats {
        rejected = Map.copyOf(rejected);
        faults = Map.copyOf(faults);
    }

    public long rejected(Refusal refusal) {
        return rejected.getOrDefault(refusal, 0L);
    }

    public long faults(Fault fault) {
        return faults.getOrDefault(fault, 0L);
    }
}
