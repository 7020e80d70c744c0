package io.ringfence.dataplane.agent;

/**
 * The counters of one rule on one host, as of one moment.
 *
 * @param ruleId   the rule (or {@link Verdict#DEFAULT})
 * @param packets  packets it decided, including the flow-table hits of the flows it allowed
 * @param bytes    their bytes (IP length)
 * @param sessions flows it allowed (created in the connection tracker); the tracker does not say
 *                 whether {@code create} made the flow or returned one another thread had just made,
 *                 so two first packets of one flow at the same {@code now} may count it twice
 * @param lastHit  the {@code now} of its latest packet, or {@link Long#MIN_VALUE} if never hit
 */
public record RuleStats(String ruleId, long packets, long bytes, long sessions, long lastHit) {
}
