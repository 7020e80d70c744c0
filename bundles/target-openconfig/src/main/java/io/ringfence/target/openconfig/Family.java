package io.ringfence.target.openconfig;

/** An address family: one OpenConfig ACL set type, its header container and its ICMP. */
enum Family {

    IPV4(32, "ipv4", "openconfig-acl:ACL_IPV4", "icmpv4", IcmpIdentities.ICMPV4),
    IPV6(128, "ipv6", "openconfig-acl:ACL_IPV6", "icmpv6", IcmpIdentities.ICMPV6);

    /** Address width in bits. */
    final int bits;
    /** The entry's header container ({@code ipv4}, {@code ipv6}), also the suffix of set names. */
    final String container;
    /** The ACL set type identity. */
    final String aclType;
    /** The ICMP container inside the header container. */
    final String icmpContainer;
    /** ICMP of this family: protocol number and the identities of its types and codes. */
    final IcmpIdentities icmp;

    Family(int bits, String container, String aclType, String icmpContainer, IcmpIdentities icmp) {
        this.bits = bits;
        this.container = container;
        this.aclType = aclType;
        this.icmpContainer = icmpContainer;
        this.icmp = icmp;
    }
}
