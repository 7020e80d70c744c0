package io.ringfence.dataplane.conntrack;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import io.ringfence.net.IpPrefix;
import org.junit.jupiter.api.Test;

import static io.ringfence.dataplane.conntrack.Lookup.Kind.INVALID;
import static io.ringfence.dataplane.conntrack.Lookup.Kind.NEW;
import static io.ringfence.dataplane.conntrack.Lookup.Kind.RELATED;
import static io.ringfence.dataplane.conntrack.Lookup.Kind.TRACKED;
import static io.ringfence.dataplane.packet.Packet.SYN;
import static org.assertj.core.api.Assertions.assertThat;

class UdpIcmpTrackingTest {

    private final Traffic t = new Traffic();

    private static Packet dnsQuery() {
        return Packet.udp("10.0.0.1", 53000, "10.0.0.53", 53, new byte[30]);
    }

    private static Packet dnsAnswer() {
        return Packet.udp("10.0.0.53", 53, "10.0.0.1", 53000, new byte[90]);
    }

    /** An ICMP/ICMPv6 error from {@code from} to {@code to} quoting {@code quoted}. */
    private static Packet error(String from, String to, int type, Packet quoted) {
        IpPrefix s = IpPrefix.parse(from);
        int protocol = quoted.family() == io.ringfence.net.IpFamily.IPV4 ? Packet.ICMP : Packet.ICMPV6;
        return new Packet(s.family(), s, IpPrefix.parse(to), protocol, 0, 0, 0, 0, 0, 0, type, 0, 0, quoted, 64,
                56, null);
    }

    @Test
    void udpIsUnrepliedUntilTheOtherSideAnswers() {
        assertThat(t.out(dnsQuery()).kind()).isEqualTo(NEW);
        Flow flow = t.tracker.create(Traffic.VNIC, Direction.OUT, dnsQuery(), t.now, "dns", 3);
        assertThat(flow.state()).isEqualTo(FlowState.UDP_UNREPLIED);
        assertThat(t.out(dnsQuery()).kind()).isEqualTo(TRACKED);
        assertThat(flow.state()).isEqualTo(FlowState.UDP_UNREPLIED);

        Lookup answer = t.in(dnsAnswer());
        assertThat(answer.kind()).isEqualTo(TRACKED);
        assertThat(answer.reply()).isTrue();
        assertThat(flow.state()).isEqualTo(FlowState.UDP_ASSURED);
        assertThat(t.out(dnsQuery()).kind()).isEqualTo(TRACKED);
        assertThat(flow.state()).isEqualTo(FlowState.UDP_ASSURED);
        assertThat(flow.originalBytes()).isEqualTo(3 * 58);
        assertThat(flow.replyBytes()).isEqualTo(118);
    }

    @Test
    void udpFromAnotherPortIsNew() {
        t.tracker.create(Traffic.VNIC, Direction.OUT, dnsQuery(), t.now, "dns", 3);
        assertThat(t.in(Packet.udp("10.0.0.53", 5353, "10.0.0.1", 53000, null)).kind()).isEqualTo(NEW);
    }

    @Test
    void icmpEchoRequestAndReplyByIdentifier() {
        Packet request = Packet.icmp("10.0.0.1", "10.0.0.9", 8, 0, 77);
        assertThat(t.out(request).kind()).isEqualTo(NEW);
        Flow flow = t.tracker.create(Traffic.VNIC, Direction.OUT, request, t.now, "ping", 1);
        assertThat(flow.state()).isEqualTo(FlowState.ICMP);

        Lookup reply = t.in(Packet.icmp("10.0.0.9", "10.0.0.1", 0, 0, 77));
        assertThat(reply.kind()).isEqualTo(TRACKED);
        assertThat(reply.reply()).isTrue();
        assertThat(t.in(Packet.icmp("10.0.0.9", "10.0.0.1", 0, 0, 78)).kind()).isEqualTo(NEW);
        assertThat(t.out(request).kind()).isEqualTo(TRACKED);
    }

    @Test
    void anEchoRequestInTheReplyDirectionIsInvalid() {
        t.tracker.create(Traffic.VNIC, Direction.OUT, Packet.icmp("10.0.0.1", "10.0.0.9", 8, 0, 77), t.now, "p", 1);
        assertThat(t.in(Packet.icmp("10.0.0.9", "10.0.0.1", 8, 0, 77)).kind()).isEqualTo(INVALID);
    }

    @Test
    void icmpv6EchoByIdentifier() {
        Packet request = Packet.icmp("2001:db8::1", "2001:db8::9", 128, 0, 5);
        t.tracker.create(Traffic.VNIC, Direction.OUT, request, t.now, "ping6", 1);
        assertThat(t.in(Packet.icmp("2001:db8::9", "2001:db8::1", 129, 0, 5)).kind()).isEqualTo(TRACKED);
        assertThat(t.in(Packet.icmp("2001:db8::9", "2001:db8::1", 129, 0, 6)).kind()).isEqualTo(NEW);
    }

    @Test
    void ipv6Udp() {
        Packet q = Packet.udp("2001:db8::1", 5000, "2001:db8::53", 53, null);
        Flow flow = t.tracker.create(Traffic.VNIC, Direction.OUT, q, t.now, "dns6", 1);
        t.in(Packet.udp("2001:db8::53", 53, "2001:db8::1", 5000, null));
        assertThat(flow.state()).isEqualTo(FlowState.UDP_ASSURED);
    }

    @Test
    void destinationUnreachableQuotingATrackedTcpFlowIsRelated() {
        Flow flow = t.open();
        Lookup l = t.in(error("192.0.2.254", "10.0.0.1", 3, Traffic.client(SYN)));
        assertThat(l.kind()).isEqualTo(RELATED);
        assertThat(l.flow()).isSameAs(flow);
        assertThat(l.reply()).isFalse();
        assertThat(flow.state()).as("an error does not move the flow").isEqualTo(FlowState.SYN_SENT);
    }

    @Test
    void anErrorTheVmSendsAboutTheReplyDirectionIsRelated() {
        t.tracker.create(Traffic.VNIC, Direction.OUT, dnsQuery(), t.now, "dns", 3);
        // the VM answers the DNS server's packet with port unreachable
        Lookup l = t.out(error("10.0.0.1", "10.0.0.53", 3, dnsAnswer()));
        assertThat(l.kind()).isEqualTo(RELATED);
        assertThat(l.reply()).isTrue();
    }

    @Test
    void anErrorQuotingAnUnknownFlowIsNew() {
        t.open();
        Packet unknown = Packet.udp("10.0.0.1", 1234, "10.0.0.2", 99, null);
        assertThat(t.in(error("192.0.2.254", "10.0.0.1", 3, unknown)).kind()).isEqualTo(NEW);
        // quoting the tracked tuple, but as if it had crossed the vNIC the other way
        assertThat(t.out(error("10.0.0.1", "192.0.2.254", 3, Traffic.client(SYN))).kind()).isEqualTo(NEW);
        // an error without a quoted header
        assertThat(t.in(Packet.icmp("192.0.2.254", "10.0.0.1", 3, 1, 0)).kind()).isEqualTo(NEW);
    }

    @Test
    void icmpv6ErrorQuotingATrackedFlowIsRelated() {
        Packet syn = Packet.tcp("2001:db8::1", 50000, "2001:db8::2", 443, SYN);
        t.tracker.create(Traffic.VNIC, Direction.OUT, syn, t.now, "r", 1);
        assertThat(t.in(error("2001:db8::fe", "2001:db8::1", 1, syn)).kind()).isEqualTo(RELATED);
        Packet other = Packet.tcp("2001:db8::1", 50001, "2001:db8::2", 443, SYN);
        assertThat(t.in(error("2001:db8::fe", "2001:db8::1", 1, other)).kind()).isEqualTo(NEW);
    }

    @Test
    void anErrorQuotingAnExpiredFlowIsNew() {
        t.tracker.create(Traffic.VNIC, Direction.OUT, dnsQuery(), t.now, "dns", 3);
        t.advanceSeconds(30);
        assertThat(t.in(error("192.0.2.254", "10.0.0.1", 3, dnsQuery())).kind()).isEqualTo(NEW);
    }

    @Test
    void otherProtocolsByAddresses() {
        IpPrefix a = IpPrefix.parse("10.0.0.1");
        IpPrefix b = IpPrefix.parse("10.0.0.2");
        Packet gre = new Packet(a.family(), a, b, 47, 0, 0, 0, 0, 0, 0, -1, -1, 0, null, 64, 100, null);
        Packet back = new Packet(a.family(), b, a, 47, 0, 0, 0, 0, 0, 0, -1, -1, 0, null, 64, 100, null);
        Flow flow = t.tracker.create(Traffic.VNIC, Direction.OUT, gre, t.now, "gre", 1);
        assertThat(flow.state()).isEqualTo(FlowState.OTHER);
        assertThat(t.in(back).reply()).isTrue();
        assertThat(flow.state()).isEqualTo(FlowState.OTHER);
    }
}
