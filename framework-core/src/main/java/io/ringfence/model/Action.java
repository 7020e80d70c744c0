package io.ringfence.model;

/** What a rule does with a matching new flow. REJECT drops and tells the sender (TCP RST / ICMP unreachable). */
public enum Action {
    ALLOW,
    DROP,
    REJECT
}
