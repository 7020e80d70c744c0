package io.ringfence.spi.enforcement;

/**
 * The hits of one rule on one vNIC as a target counted them.
 *
 * @param vnicId  the vNIC
 * @param ruleId  the rule (or {@code default})
 * @param packets packets matched since the rule set was first realized
 * @param bytes   bytes matched
 */
public record RuleCounter(String vnicId, String ruleId, long packets, long bytes) {
}
