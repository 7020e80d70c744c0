package io.ringfence.spi.enforcement;

/** What a rule does with a flow it matches. */
public enum RuleAction {
    /** Let the flow through (and its replies, statefully). */
    ALLOW,
    /** Discard silently. */
    DROP,
    /** Discard and answer: TCP reset, ICMP/ICMPv6 unreachable otherwise. */
    REJECT
}
