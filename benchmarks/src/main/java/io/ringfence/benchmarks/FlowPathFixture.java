package io.ringfence.benchmarks;

import io.ringfence.compiler.AddressGroup;
import io.ringfence.compiler.CompiledRule;
import io.ringfence.compiler.HostDelta;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.dataplane.agent.HostAgent;
import io.ringfence.dataplane.conntrack.ConnectionTracker;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.packet.PacketWriter;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Direction;
import io.ringfence.model.PortRange;
import io.ringfence.model.Protocol;
import io.ringfence.model.ServiceEntry;
import io.ringfence.net.AddressSet;
import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;

/**
 * The host of the flow-path benchmarks: one {@link HostAgent} with {@code vnics} vNICs, each holding
 * the same small rule set, and the Ethernet frames of TCP connections between a client on a vNIC
 * and a server outside.
 *
 * <p>vNIC {@code i} is {@code vm-i}, address 10.1.x.y; servers are in 10.200.0.0/16. Rule set, OUT
 * (evaluated in this order): DROP tcp/23 to any, REJECT tcp/25 to any, ALLOW udp/53 to the DNS
 * servers, ALLOW tcp/80 and tcp/443 to the servers, ALLOW ICMP to the servers; IN: ALLOW tcp/22
 * from the admins; default DROP. A connection opens with the client's SYN leaving its vNIC (OUT),
 * which the fourth entry allows; the server's packets enter the vNIC (IN) as replies.
 */
final class FlowPathFixture {

    static final String HOST = "bench-host";
    static final int SERVER_PORT = 443;
    static final long CLIENT_MAC = 0x0050_5600_0001L;
    static final long GATEWAY_MAC = 0x0050_5600_00FEL;

    private FlowPathFixture() {
    }

    /** An agent whose {@code vnics} vNICs have the rule set, over a tracker of at most {@code maxFlows}. */
    static HostAgent agent(int vnics, int maxFlows) {
        HostAgent agent = new HostAgent(HOST, new ConnectionTracker(ConnectionTracker.Config.defaults(maxFlows)));
        List<VnicRuleSet> ruleSets = new ArrayList<>();
        for (int i = 0; i < vnics; i++) {
            ruleSets.add(ruleSet(vnic(i), 1));
        }
        List<AddressGroup> groups = List.of(
                new AddressGroup("dns", List.of("dns"), AddressSet.of(IpPrefix.parse("10.0.0.53")), 1),
                new AddressGroup("servers", List.of("servers"), AddressSet.of(IpPrefix.parse("10.200.0.0/16")), 1),
                new AddressGroup("admins", List.of("admins"), AddressSet.of(IpPrefix.parse("10.9.0.0/24")), 1));
        agent.accept(new HostDelta(HOST, 1, true, ruleSets, List.of(), groups, List.of()));
        return agent;
    }

    private static VnicRuleSet ruleSet(String vnic, long generation) {
        List<CompiledRule> out = List.of(
                entry("no-telnet", Direction.OUT, Action.DROP, null, tcp(23)),
                entry("no-smtp", Direction.OUT, Action.REJECT, null, tcp(25)),
                entry("dns", Direction.OUT, Action.ALLOW, "dns",
                        new ServiceEntry(Protocol.UDP, List.of(new PortRange(53, 53)), List.of(), null, null)),
                entry("web", Direction.OUT, Action.ALLOW, "servers", tcp(80), tcp(443)),
                entry("ping", Direction.OUT, Action.ALLOW, "servers",
                        new ServiceEntry(Protocol.ICMP, List.of(), List.of(), null, null)));
        List<CompiledRule> in = List.of(entry("ssh", Direction.IN, Action.ALLOW, "admins", tcp(22)));
        return new VnicRuleSet(vnic, "vm-of-" + vnic, HOST, generation, in, out, Action.DROP, false);
    }

    private static CompiledRule entry(String id, Direction direction, Action action, String remote,
                                      ServiceEntry... services) {
        return new CompiledRule(id, "bench", Category.APPLICATION, 10, 10, direction, action, false, null, remote,
                false, List.of(services));
    }

    private static ServiceEntry tcp(int port) {
        return new ServiceEntry(Protocol.TCP, List.of(new PortRange(port, port)), List.of(), null, null);
    }

    static String vnic(int i) {
        return "vm-" + i;
    }

    /** The address of vNIC {@code i}: 10.1.0.0 + i + 1. */
    static IpPrefix client(int i) {
        return IpPrefix.host(IpFamily.IPV4, 0, 0x0A01_0000L + i + 1);
    }

    /** Server {@code j} of 10.200.0.0/16 (j below 65,000). */
    static IpPrefix server(int j) {
        return IpPrefix.host(IpFamily.IPV4, 0, 0x0AC8_0000L + 1 + j);
    }

    /** A TCP segment of the client's side (leaving its vNIC) with {@code payload} bytes. */
    static byte[] fromClient(IpPrefix client, int port, IpPrefix server, int flags, int payload) {
        return frame(new Packet(IpFamily.IPV4, client, server, Packet.TCP, port, SERVER_PORT, flags, 1000, 2000,
                65535, -1, -1, 0, null, 64, 40 + payload, new byte[payload]), CLIENT_MAC, GATEWAY_MAC);
    }

    /** A TCP segment of the server's side (entering the client's vNIC) with {@code payload} bytes. */
    static byte[] fromServer(IpPrefix client, int port, IpPrefix server, int flags, int payload) {
        return frame(new Packet(IpFamily.IPV4, server, client, Packet.TCP, SERVER_PORT, port, flags, 2000, 1000,
                65535, -1, -1, 0, null, 64, 40 + payload, new byte[payload]), GATEWAY_MAC, CLIENT_MAC);
    }

    private static byte[] frame(Packet p, long sourceMac, long destinationMac) {
        return PacketWriter.toEthernet(p, sourceMac, destinationMac);
    }
}
