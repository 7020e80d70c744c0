package io.ringfence.model;

/** The protocols a service entry can name; ANY matches every IP packet. */
public enum Protocol {
    TCP,
    UDP,
    ICMP,
    ICMPV6,
    ANY;

    /** True for the protocols that have ports. */
    public boolean hasPorts() {
        return this == TCP || this == UDP;
    }

    /** True for the protocols that have ICMP type and code. */
    public boolean isIcmp() {
        return this == ICMP || this == ICMPV6;
    }
}
