package io.ringfence.dataplane.agent;

import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.rule;
import static io.ringfence.model.ModelFixtures.service;
import static io.ringfence.model.ModelFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.dataplane.conntrack.Flow;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.packet.PacketParser;
import io.ringfence.dataplane.packet.PacketWriter;
import io.ringfence.dataplane.packet.RejectPackets;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import io.ringfence.model.Protocol;
import io.ringfence.model.ServiceEntry;
import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * IPv6 through the agent: the fixture's policy over dual-stack VMs, whose IPv6 addresses join the
 * address groups of their tags; ICMPv6 echo and errors; REJECT answered with an ICMPv6 unreachable
 * or a reset; rules over static IPv6 prefixes.
 *
 * <p>Added to the fixture: web6 on h1 (app:web, 10.0.1.6 and 2001:db8:1::6) and db6 on h2 (app:db,
 * 10.0.2.6 and 2001:db8:2::6).
 */
class HostAgentIpv6Test {

    static final String WEB6 = "2001:db8:1::6";
    static final String DB6 = "2001:db8:2::6";

    private final AgentFixture dc = new AgentFixture();

    HostAgentIpv6Test() {
        dc.vm("web6", "h1", List.of("app:web"), dc.nic("web6-0", "10.0.1.6", WEB6));
        dc.vm("db6", "h2", List.of("app:db"), dc.nic("db6-0", "10.0.2.6", DB6));
    }

    @Test
    void aNewIpv6FlowIsAllowedAtBothEndsByTheRuleOfItsGroupsAndItsRepliesPassByTheFlowTable() {
        Packet syn = Packet.tcp(WEB6, 40000, DB6, 3306, Packet.SYN);
        assertThat(dc.h1.process("web6-0", Direction.OUT, syn, 1))
                .extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable)
                .containsExactly(Action.ALLOW, "r-mysql", false);
        assertThat(dc.h2.process("db6-0", Direction.IN, syn, 2))
                .extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable)
                .containsExactly(Action.ALLOW, "r-mysql", false);

        Packet synAck = Packet.tcp(DB6, 3306, WEB6, 40000, Packet.SYN | Packet.ACK);
        Packet ack = Packet.tcp(WEB6, 40000, DB6, 3306, Packet.ACK);
        assertThat(List.of(
                dc.h2.process("db6-0", Direction.OUT, synAck, 3),
                dc.h1.process("web6-0", Direction.IN, synAck, 4),
                dc.h1.process("web6-0", Direction.OUT, ack, 5),
                dc.h2.process("db6-0", Direction.IN, ack, 6)))
                .allSatisfy(v -> assertThat(v).extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable)
                        .containsExactly(Action.ALLOW, "r-mysql", true));

        Flow flow = dc.h1.tracker().flows("web6-0").get(0);
        assertThat(flow.key().source().family()).isEqualTo(IpFamily.IPV6);
        assertThat(flow.key().destination()).isEqualTo(IpPrefix.parse(DB6));
        assertThat(flow.originalPackets()).isEqualTo(2);
        assertThat(flow.replyPackets()).isEqualTo(1);
        // an IPv6 header is 40 bytes: 60 per segment without payload
        assertThat(dc.h1.ruleStats("r-mysql")).isEqualTo(new RuleStats("r-mysql", 3, 180, 1, 5));
    }

    @Test
    void anIpv6AddressOutsideTheGroupsAndTheOtherFamilyOfAnAllowedVmAreDecidedApart() {
        assertThat(dc.h1.process("web6-0", Direction.OUT, Packet.tcp(WEB6, 40000, "2001:db8:3::1", 3306, Packet.SYN), 1))
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.DROP, Verdict.DEFAULT);
        // the address group holds both families of db6: its IPv4 address is allowed too
        assertThat(dc.h1.process("web6-0", Direction.OUT, Packet.tcp("10.0.1.6", 40001, "10.0.2.6", 3306, Packet.SYN), 2)
                .ruleId()).isEqualTo("r-mysql");
        // a reply from db6 that opens nothing is a new flow db → web, which no rule allows
        assertThat(dc.h1.process("web6-0", Direction.IN, Packet.tcp(DB6, 3306, WEB6, 40002, Packet.SYN), 3).action())
                .isEqualTo(Action.DROP);
    }

    @Test
    void anIcmpv6EchoIsTrackedByItsIdentifierAndOnlyItsReplyPasses() {
        dc.manager.create(Kind.SERVICE, service("ping6", new ServiceEntry(Protocol.ICMPV6, List.of(), List.of(),
                128, null)), "t");
        dc.addRule(rule("r-ping6").sequence(40).sources("g-web").destinations("g-db").services("ping6").build());

        assertThat(dc.h1.process("web6-0", Direction.OUT, Packet.icmp(WEB6, DB6, 128, 0, 7), 1))
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.ALLOW, "r-ping6");
        assertThat(dc.h1.process("web6-0", Direction.IN, Packet.icmp(DB6, WEB6, 129, 0, 7), 2))
                .extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable)
                .containsExactly(Action.ALLOW, "r-ping6", true);
        // another identifier is no reply of that echo, and db → web echoes are allowed by no rule
        assertThat(dc.h1.process("web6-0", Direction.IN, Packet.icmp(DB6, WEB6, 129, 0, 8), 3).action())
                .isEqualTo(Action.DROP);
        assertThat(dc.h1.process("web6-0", Direction.IN, Packet.icmp(DB6, WEB6, 128, 0, 7), 4).action())
                .isEqualTo(Action.DROP);
        // an echo of the IPv4 type number is not an ICMPv6 echo request
        assertThat(dc.h1.process("web6-0", Direction.OUT, Packet.icmp(WEB6, DB6, 8, 0, 9), 5).action())
                .isEqualTo(Action.DROP);
    }

    @Test
    void icmpv6ErrorsAboutAnAllowedFlowPassAsRelatedAndAboutNoFlowAreDropped() {
        Packet syn = Packet.tcp(WEB6, 40000, DB6, 3306, Packet.SYN);
        dc.h1.process("web6-0", Direction.OUT, syn, 1);

        // db6 refuses (destination unreachable) and a router on the way says the packet is too big
        Packet unreachable = parsed(RejectPackets.unreachable(syn, PacketWriter.toIp(syn)));
        Packet tooBig = parsed(icmpv6Error("2001:db8:ff::1", WEB6, 2, syn));
        for (Packet error : List.of(unreachable, tooBig)) {
            assertThat(error.embedded()).as("the parser read the quoted header").isNotNull();
            assertThat(dc.h1.process("web6-0", Direction.IN, error, 2))
                    .extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable)
                    .containsExactly(Action.ALLOW, "r-mysql", true);
        }

        Packet other = Packet.tcp(WEB6, 40009, DB6, 3306, Packet.SYN);
        Packet stray = parsed(icmpv6Error("2001:db8:ff::1", WEB6, 2, other));
        assertThat(dc.h1.process("web6-0", Direction.IN, stray, 3))
                .extracting(Verdict::action, Verdict::fromFlowTable).containsExactly(Action.DROP, false);
    }

    @Test
    void aRejectedIpv6DatagramIsAnsweredWithAnIcmpv6UnreachableThatParsesBack() {
        byte[] query = new byte[64];
        Arrays.fill(query, (byte) 'q');
        Packet dns = Packet.udp(WEB6, 5353, DB6, 53, query);
        Verdict v = dc.h1.process("web6-0", Direction.OUT, dns, 1);
        assertThat(v).extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.REJECT, "r-dns");

        byte[] ip = PacketWriter.toIp(v.reject());
        Packet answer = PacketParser.parseIp(ip, 0, ip.length);
        assertThat(answer.family()).isEqualTo(IpFamily.IPV6);
        assertThat(answer.protocol()).isEqualTo(Packet.ICMPV6);
        assertThat(answer.icmpType()).isEqualTo(1);
        assertThat(answer.icmpCode()).as("administratively prohibited").isEqualTo(1);
        assertThat(answer.source()).isEqualTo(IpPrefix.parse(DB6));
        assertThat(answer.destination()).isEqualTo(IpPrefix.parse(WEB6));
        assertThat(answer.embedded().source()).isEqualTo(IpPrefix.parse(WEB6));
        assertThat(answer.embedded().destinationPort()).isEqualTo(53);
        assertThat(answer.embedded().sourcePort()).isEqualTo(5353);
        // the whole offending datagram fits in the quote (the answer stays within the IPv6 minimum MTU)
        assertThat(ip.length).isEqualTo(40 + 8 + PacketWriter.toIp(dns).length).isLessThanOrEqualTo(1280);
        // and the rejected datagram opened no flow
        assertThat(dc.h1.tracker().flows("web6-0")).isEmpty();
    }

    @Test
    void aRejectedIpv6SegmentIsAnsweredWithAResetThatParsesBack() {
        Packet syn = new Packet(IpFamily.IPV6, IpPrefix.parse(WEB6), IpPrefix.parse(DB6), Packet.TCP, 40000, 443,
                Packet.SYN, 7000, 0, 65535, -1, -1, 0, null, 64, 60, null);
        Verdict v = dc.h1.process("web6-0", Direction.OUT, syn, 1);
        assertThat(v).extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.REJECT, "r-https");

        byte[] ip = PacketWriter.toIp(v.reject());
        Packet rst = PacketParser.parseIp(ip, 0, ip.length);
        assertThat(rst.family()).isEqualTo(IpFamily.IPV6);
        assertThat(rst.source()).isEqualTo(IpPrefix.parse(DB6));
        assertThat(rst.destination()).isEqualTo(IpPrefix.parse(WEB6));
        assertThat(rst.tcpFlags()).isEqualTo(Packet.RST | Packet.ACK);
        assertThat(rst.tcpAck()).isEqualTo(7001);
        assertThat(rst.sourcePort()).isEqualTo(443);
    }

    @Test
    void rulesOverStaticIpv6PrefixesMatchTheirAddressesOnly() {
        dc.manager.create(Kind.SERVICE, service("http-alt", tcp("8080")), "t");
        dc.manager.create(Kind.GROUP, group("g-v6-net").addresses("2001:db8:2::/64").build(), "t");
        dc.manager.create(Kind.GROUP, group("g-v6-admin").addresses("2001:db8:2::/120").build(), "t");
        // 8080 to anything in the /64; 443 to nothing outside its first /120 (db6 is inside; before r-https)
        dc.addRule(rule("r-v6").sequence(40).sources("g-web").destinations("g-v6-net").services("http-alt").build());
        dc.addRule(rule("r-not-admin").sequence(5).sources("g-web").destinations("g-v6-admin")
                .destinationsNegated(true).services("https").action(Action.DROP).build());

        assertThat(out("2001:db8:2::99", 8080).ruleId()).isEqualTo("r-v6");
        assertThat(out("2001:db8:2:0:ffff:ffff:ffff:ffff", 8080).ruleId()).isEqualTo("r-v6");
        assertThat(out("2001:db8:2:1::1", 8080).ruleId()).isEqualTo(Verdict.DEFAULT);
        assertThat(out("10.0.2.1", 8080).ruleId()).as("an IPv6 group holds no IPv4 address").isEqualTo(Verdict.DEFAULT);

        assertThat(out(DB6, 443)).extracting(Verdict::action, Verdict::ruleId)
                .containsExactly(Action.REJECT, "r-https");
        assertThat(out("2001:db8:2::200", 443)).extracting(Verdict::action, Verdict::ruleId)
                .containsExactly(Action.DROP, "r-not-admin");
        // an IPv4 address is outside the IPv6-only group too: the negated side matches it
        assertThat(out("10.0.2.1", 443).ruleId()).isEqualTo("r-not-admin");
    }

    private Verdict out(String destination, int port) {
        String source = destination.contains(":") ? WEB6 : "10.0.1.6";
        return dc.h1.process("web6-0", Direction.OUT, Packet.tcp(source, 40000 + port % 1000, destination, port,
                Packet.SYN), 1);
    }

    /** An ICMPv6 error of {@code type} (code 0) quoting {@code offending}, as a router would send it. */
    private static Packet icmpv6Error(String from, String to, int type, Packet offending) {
        byte[] quote = PacketWriter.toIp(offending);
        return new Packet(IpFamily.IPV6, IpPrefix.parse(from), IpPrefix.parse(to), Packet.ICMPV6, 0, 0, 0, 0, 0, 0,
                type, 0, 0, null, 64, 48 + quote.length, quote);
    }

    /** The packet as the wire has it: serialised and parsed (checksums verified, quote parsed). */
    private static Packet parsed(Packet p) {
        byte[] ip = PacketWriter.toIp(p);
        return PacketParser.parseIp(ip, 0, ip.length);
    }
}
