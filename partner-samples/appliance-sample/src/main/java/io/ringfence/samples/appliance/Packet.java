package io.ringfence.samples.appliance;

/**
 * The first packet of a flow, as far as the rules look at it.
 *
 * @param protocol        IANA number: 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6
 * @param source          source address literal
 * @param sourcePort      TCP/UDP source port; for ICMP the type
 * @param destination     destination address literal
 * @param destinationPort TCP/UDP destination port; for ICMP the code
 */
record Packet(int protocol, String source, int sourcePort, String destination, int destinationPort) {

    /** {@code tcp 10.0.0.1 40000 10.0.0.2 443}; protocols by name (tcp, udp, icmp, icmpv6) or number. */
    static Packet parse(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("expected: <protocol> <source> <sport|type> <destination> <dport|code>");
        }
        int protocol = switch (f[0].toLowerCase()) {
            case "tcp" -> 6;
            case "udp" -> 17;
            case "icmp" -> 1;
            case "icmpv6" -> 58;
            default -> Integer.parseInt(f[0]);
        };
        return new Packet(protocol, f[1], Integer.parseInt(f[2]), f[3], Integer.parseInt(f[4]));
    }
}
