package io.ringfence.dataplane.api;

import java.time.Instant;

/**
 * The counters of one rule summed across hosts, as of one moment.
 *
 * @param ruleId   the rule (or {@link io.ringfence.dataplane.agent.Verdict#DEFAULT})
 * @param packets  packets it decided, including the flow-table hits of the flows it allowed
 * @param bytes    their bytes (IP length)
 * @param sessions flows it allowed
 * @param lastHit  when its latest packet was decided, or null if never
 */
public record RuleTraffic(String ruleId, long packets, long bytes, long sessions, Instant lastHit) {

    /** The counters of a rule that never decided a packet. */
    public static RuleTraffic none(String ruleId) {
        return new RuleTraffic(ruleId, 0, 0, 0, null);
    }
}
