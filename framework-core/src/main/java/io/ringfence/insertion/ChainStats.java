package io.ringfence.insertion;

import java.util.Map;

/**
 * The counters of one chain, over every flow steered through it. Every packet decided counts once
 * in {@code packets} and once in exactly one verdict: {@code packets = passed + dropped + rejected + bypassed}
 * (a snapshot reads each counter once, so under load the sides can be a few packets apart).
 *
 * @param chainId       the chain
 * @param packets       packets decided
 * @param passed        packets whose verdict was PASS
 * @param dropped       packets whose verdict was DROP
 * @param rejected      packets whose verdict was REJECT
 * @param bypassed      packets whose verdict was PASS_AND_BYPASS
 * @param failures      hop decisions taken by the failure policy, by cause ({@link HopOutcome#underFailurePolicy()});
 *                      a packet can count at several hops
 * @param sessionsOpen  flows steered through the chain now
 * @param sessionsTotal flows steered through the chain so far
 * @param latency       time to decide a packet, the whole chain
 */
public record ChainStats(String chainId, long packets, long passed, long dropped, long rejected, long bypassed,
                         Map<HopOutcome, Long> failures, long sessionsOpen, long sessionsTotal, LatencyStats latency) {

    public ChainStats {
        failures = Map.copyOf(failures);
    }
}
