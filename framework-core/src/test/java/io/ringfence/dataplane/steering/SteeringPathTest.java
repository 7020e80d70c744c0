package io.ringfence.dataplane.steering;

import static io.ringfence.dataplane.steering.SteeringRig.DB;
import static io.ringfence.dataplane.steering.SteeringRig.DB_NIC;
import static io.ringfence.dataplane.steering.SteeringRig.DEADLINE_MICROS;
import static io.ringfence.dataplane.steering.SteeringRig.WEB;
import static io.ringfence.dataplane.steering.SteeringRig.WEB_NIC;
import static io.ringfence.dataplane.steering.SteeringRig.segment;
import static io.ringfence.model.InsertionFixtures.redirect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.agent.VnicStats;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.packet.PacketParser;
import io.ringfence.dataplane.packet.PacketView;
import io.ringfence.dataplane.packet.PacketWriter;
import io.ringfence.insertion.ChainStats;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.model.FailurePolicy;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.VnicDirection;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every allowed packet of a steered flow goes through its chain, in order, on both sides, on the full
 * and on the fast path; the chain's verdict becomes the packet's (PASS and PASS_AND_BYPASS allow, DROP
 * drops, REJECT rejects and ends the flow); flows the redirection policy does not select are untouched.
 */
class SteeringPathTest {

    private static final io.ringfence.spi.inspection.Verdict PASS = io.ringfence.spi.inspection.Verdict.PASS;
    private static final byte[] EVIL = {'e', 'v', 'i', 'l'};

    private final SteeringRig rig = new SteeringRig();

    @AfterEach
    void tearDown() {
        rig.close();
    }

    /** Partners ids then av, chain c (fail-closed) steering web's https leaving web1-0. */
    private void idsThenAv(Partner ids, Partner av, List<String> reverse) {
        rig.chain("c", FailurePolicy.BLOCK, DEADLINE_MICROS, reverse, ids.name, av.name);
        rig.redirect(redirect("to-c", "c").sources("g-web").services("https").direction(Direction.OUT));
    }

    /** A packet web1 sends (OUT at web1-0). */
    private Verdict out(Packet p) {
        return rig.process(WEB_NIC, Direction.OUT, p);
    }

    /** A packet web1 receives (IN at web1-0). */
    private Verdict in(Packet p) {
        return rig.process(WEB_NIC, Direction.IN, p);
    }

    /** The same packet as {@link #out} would take it, on the fast path of parsed frames. */
    private Verdict outFast(Packet p) {
        PacketView view = new PacketView();
        PacketParser.parseEthernet(PacketWriter.toEthernet(p, 1, 2), view);
        return rig.agent("h1").process(WEB_NIC, Direction.OUT, view, rig.nanos.addAndGet(1_000));
    }

    private void handshake(int port) {
        assertThat(out(Packet.tcp(WEB, port, DB, 443, Packet.SYN)).allowed()).isTrue();
        assertThat(in(Packet.tcp(DB, 443, WEB, port, Packet.SYN | Packet.ACK)).allowed()).isTrue();
        assertThat(out(Packet.tcp(WEB, port, DB, 443, Packet.ACK)).allowed()).isTrue();
    }

    private VnicStats webStats() {
        return rig.dc.vnicStats(WEB_NIC).orElseThrow();
    }

    @Test
    void theInitiatorsPacketsGoForwardThroughTheChainAndRepliesBack() {
        Partner ids = rig.register("ids");
        Partner av = rig.register("av");
        idsThenAv(ids, av, null);

        Verdict syn = out(Packet.tcp(WEB, 40000, DB, 443, Packet.SYN));
        assertThat(syn).extracting(Verdict::action, Verdict::ruleId, Verdict::chainId, Verdict::inspection)
                .containsExactly(Action.ALLOW, "r-https", "c", PASS);
        assertThat(in(Packet.tcp(DB, 443, WEB, 40000, Packet.SYN | Packet.ACK)))
                .extracting(Verdict::action, Verdict::fromFlowTable, Verdict::chainId)
                .containsExactly(Action.ALLOW, true, "c");
        out(Packet.tcp(WEB, 40000, DB, 443, Packet.ACK));
        // flow-table hits on the fast path leave it for the chain
        assertThat(outFast(Packet.tcp(WEB, 40000, DB, 443, Packet.ACK | Packet.PSH)))
                .extracting(Verdict::action, Verdict::chainId, Verdict::inspection).containsExactly(Action.ALLOW, "c", PASS);

        assertThat(rig.log).containsExactly("ids:ORIGINAL", "av:ORIGINAL", "av:REPLY", "ids:REPLY",
                "ids:ORIGINAL", "av:ORIGINAL", "ids:ORIGINAL", "av:ORIGINAL");
        assertThat(webStats()).extracting(VnicStats::steered, VnicStats::allowed).containsExactly(4L, 4L);
        ChainStats c = rig.insertion.chainStats("c").orElseThrow();
        assertThat(c).extracting(ChainStats::packets, ChainStats::passed, ChainStats::sessionsOpen)
                .containsExactly(4L, 4L, 1L);
        // the firewall's rule still decided the flow: its counters are those of an unsteered flow
        assertThat(rig.dc.ruleStats("r-https")).extracting(r -> r.packets(), r -> r.sessions()).containsExactly(4L, 1L);
        assertThat(ids.violations).isEmpty();
    }

    @Test
    void repliesTakeTheChainsReversePathWhenItHasOne() {
        Partner ids = rig.register("ids");
        Partner av = rig.register("av");
        idsThenAv(ids, av, List.of("av"));

        handshake(40000);

        assertThat(rig.log).containsExactly("ids:ORIGINAL", "av:ORIGINAL", "av:REPLY", "ids:ORIGINAL", "av:ORIGINAL");
    }

    @Test
    void theFunctionsSeeTheFlowFromTheInitiatorsSideWithTheVmAndTheProfile() throws Exception {
        Partner ids = rig.register("ids");
        Partner av = rig.register("av");
        idsThenAv(ids, av, null);

        handshake(40000);

        assertThat(ids.sessions).singleElement().satisfies(s -> {
            FlowContext f = s.flow;
            assertThat(f).extracting(FlowContext::vnicId, FlowContext::direction, FlowContext::vmId, FlowContext::vmName,
                    FlowContext::vmTags, FlowContext::protocol, FlowContext::sourcePort, FlowContext::destinationPort)
                    .containsExactly(WEB_NIC, VnicDirection.OUT, "web1", "web1", List.of("app:web"), FlowContext.TCP,
                            40000, 443);
            assertThat(f.source()).isEqualTo(InetAddress.getByName(WEB));
            assertThat(f.destination()).isEqualTo(InetAddress.getByName(DB));
            assertThat(s.profile.values()).containsEntry("mode", "strict"); // the schema's default, filled in
            assertThat(s.packets).hasValue(3);
        });
        assertThat(av.sessions).singleElement().satisfies(s -> assertThat(s.flow.flowId()).isEqualTo(
                ids.sessions.peek().flow.flowId()));
    }

    @Test
    void eastWestTrafficIsSteeredAtEachEndOnItsOwn() {
        Partner ids = rig.register("ids");
        rig.chain("c", FailurePolicy.BLOCK, "ids");
        rig.redirect(redirect("both-ends", "c").sources("g-web").destinations("g-db").services("https"));

        Packet syn = Packet.tcp(WEB, 40000, DB, 443, Packet.SYN);
        assertThat(out(syn).chainId()).isEqualTo("c");
        assertThat(rig.process(DB_NIC, Direction.IN, syn).chainId()).isEqualTo("c");

        assertThat(ids.sessions).extracting(s -> s.flow.vnicId() + " " + s.flow.direction() + " " + s.flow.vmId())
                .containsExactlyInAnyOrder("web1-0 OUT web1", "db1-0 IN db1");
        assertThat(ids.sessions).extracting(s -> s.flow.flowId()).doesNotHaveDuplicates();
        assertThat(rig.insertion.chainStats("c").orElseThrow().sessionsOpen()).isEqualTo(2);
    }

    @Test
    void passAndBypassTakesTheFlowOutOfSteering() {
        Partner ids = rig.register("ids");
        ids.behavior = p -> p.side() == PacketSide.REPLY ? io.ringfence.spi.inspection.Verdict.PASS_AND_BYPASS : PASS;
        rig.chain("c", FailurePolicy.BLOCK, "ids");
        rig.redirect(redirect("to-c", "c").sources("g-web").services("https").direction(Direction.OUT));

        out(Packet.tcp(WEB, 40000, DB, 443, Packet.SYN));
        assertThat(in(Packet.tcp(DB, 443, WEB, 40000, Packet.SYN | Packet.ACK)))
                .extracting(Verdict::action, Verdict::chainId, Verdict::inspection)
                .containsExactly(Action.ALLOW, "c", io.ringfence.spi.inspection.Verdict.PASS_AND_BYPASS);
        Verdict ack = out(Packet.tcp(WEB, 40000, DB, 443, Packet.ACK));
        Verdict fast = outFast(Packet.tcp(WEB, 40000, DB, 443, Packet.ACK | Packet.PSH));

        for (Verdict v : List.of(ack, fast)) {
            assertThat(v).extracting(Verdict::action, Verdict::ruleId, Verdict::chainId, Verdict::inspection)
                    .containsExactly(Action.ALLOW, "r-https", null, null);
        }
        assertThat(rig.log).containsExactly("ids:ORIGINAL", "ids:REPLY");
        assertThat(webStats().steered()).isEqualTo(2);
        Partner.Session session = ids.sessions.peek();
        await().atMost(Duration.ofSeconds(10)).until(() -> session.closes.get() == 1);
        assertThat(rig.insertion.chainStats("c").orElseThrow())
                .extracting(ChainStats::bypassed, ChainStats::sessionsOpen).containsExactly(1L, 0L);
        assertThat(ids.violations).isEmpty();
    }

    @Test
    void aDroppedPacketIsDroppedButItsFlowStays() {
        Partner ids = rig.register("ids");
        ids.behavior = p -> p.tcpSequence() == 666 ? io.ringfence.spi.inspection.Verdict.DROP : PASS;
        rig.chain("c", FailurePolicy.BLOCK, "ids");
        rig.redirect(redirect("to-c", "c").sources("g-web").services("https").direction(Direction.OUT));
        handshake(40000);

        Verdict dropped = out(segment(WEB, 40000, DB, 443, Packet.ACK | Packet.PSH, 666, 1, EVIL));
        assertThat(dropped).extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable, Verdict::reject,
                        Verdict::chainId, Verdict::inspection)
                .containsExactly(Action.DROP, "r-https", true, null, "c", io.ringfence.spi.inspection.Verdict.DROP);
        Verdict fastDropped = outFast(segment(WEB, 40000, DB, 443, Packet.ACK | Packet.PSH, 666, 1, EVIL));
        assertThat(fastDropped.action()).isEqualTo(Action.DROP);
        Verdict next = out(segment(WEB, 40000, DB, 443, Packet.ACK | Packet.PSH, 1, 1, new byte[] {1}));
        assertThat(next).extracting(Verdict::action, Verdict::chainId).containsExactly(Action.ALLOW, "c");

        assertThat(rig.dc.flows("web1")).hasSize(1);
        assertThat(webStats()).extracting(VnicStats::steered, VnicStats::inspectionDropped, VnicStats::dropped,
                VnicStats::allowed).containsExactly(6L, 2L, 2L, 4L);
        assertThat(rig.dc.ruleStats("r-https").packets()).isEqualTo(6);
        assertThat(rig.insertion.chainStats("c").orElseThrow().dropped()).isEqualTo(2);
    }

    @Test
    void aRejectedTcpPacketIsAnsweredWithAResetAndItsFlowEnds() {
        Partner ids = rig.register("ids");
        ids.behavior = p -> p.tcpSequence() == 666 ? io.ringfence.spi.inspection.Verdict.REJECT : PASS;
        rig.chain("c", FailurePolicy.BLOCK, "ids");
        rig.redirect(redirect("to-c", "c").sources("g-web").services("https").direction(Direction.OUT));
        handshake(40000);

        Verdict rejected = out(segment(WEB, 40000, DB, 443, Packet.ACK | Packet.PSH, 666, 5000, EVIL));

        assertThat(rejected).extracting(Verdict::action, Verdict::ruleId, Verdict::chainId, Verdict::inspection)
                .containsExactly(Action.REJECT, "r-https", "c", io.ringfence.spi.inspection.Verdict.REJECT);
        byte[] ip = PacketWriter.toIp(rejected.reject());
        Packet reset = PacketParser.parseIp(ip, 0, ip.length);
        assertThat(reset).extracting(p -> p.source().toString(), p -> p.destination().toString(), Packet::sourcePort,
                Packet::destinationPort, Packet::tcpFlags, Packet::tcpSeq)
                .containsExactly(DB, WEB, 443, 40000, Packet.RST, 5000L);
        assertThat(rig.dc.flows("web1")).isEmpty();
        // the flow is gone: its next segment is no flow's
        assertThat(out(Packet.tcp(WEB, 40000, DB, 443, Packet.ACK)).ruleId()).isEqualTo(Verdict.INVALID);
        Partner.Session session = ids.sessions.peek();
        await().atMost(Duration.ofSeconds(10)).until(() -> session.closes.get() == 1);
        assertThat(webStats()).extracting(VnicStats::inspectionRejected, VnicStats::rejected).containsExactly(1L, 1L);
        assertThat(rig.insertion.chainStats("c").orElseThrow())
                .extracting(ChainStats::rejected, ChainStats::sessionsOpen).containsExactly(1L, 0L);
        assertThat(ids.violations).isEmpty();
    }

    @Test
    void aRejectedUdpDatagramIsAnsweredWithAnIcmpUnreachable() {
        Partner ids = rig.register("ids");
        ids.behavior = p -> io.ringfence.spi.inspection.Verdict.REJECT;
        rig.chain("c", FailurePolicy.BLOCK, "ids");
        rig.redirect(redirect("dns", "c").sources("g-web").services("dns").direction(Direction.OUT));

        Verdict rejected = out(Packet.udp(WEB, 50000, DB, 53, new byte[] {1, 2, 3, 4}));

        assertThat(rejected).extracting(Verdict::action, Verdict::ruleId, Verdict::inspection)
                .containsExactly(Action.REJECT, "r-dns", io.ringfence.spi.inspection.Verdict.REJECT);
        byte[] ip = PacketWriter.toIp(rejected.reject());
        Packet unreachable = PacketParser.parseIp(ip, 0, ip.length);
        assertThat(unreachable).extracting(Packet::protocol, Packet::icmpType, Packet::icmpCode, p -> p.source().toString())
                .containsExactly(Packet.ICMP, 3, 13, DB);
        assertThat(unreachable.embedded()).extracting(Packet::sourcePort, Packet::destinationPort)
                .containsExactly(50000, 53);
        assertThat(rig.dc.flows("web1")).isEmpty();
    }

    @Test
    void flowsTheRedirectionPolicyDoesNotSelectAreUntouched() {
        Partner ids = rig.register("ids");
        rig.chain("c", FailurePolicy.BLOCK, "ids");
        rig.redirect(redirect("to-c", "c").sources("g-web").services("https").direction(Direction.OUT));

        Verdict syn = out(Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN));
        in(Packet.tcp(DB, 3306, WEB, 40000, Packet.SYN | Packet.ACK));
        Verdict ack = outFast(Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK));

        for (Verdict v : List.of(syn, ack)) {
            assertThat(v).extracting(Verdict::action, Verdict::ruleId, Verdict::chainId, Verdict::inspection)
                    .containsExactly(Action.ALLOW, "r-mysql", null, null);
        }
        // an established flow's fast-path verdict is still the rule's shared one: nothing allocated for it
        assertThat(outFast(Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK))).isSameAs(ack);
        assertThat(rig.log).isEmpty();
        assertThat(webStats().steered()).isZero();
        assertThat(rig.insertion.chainStats()).isEmpty();
    }

    @Test
    void flowsKeepTheDecisionTakenWhenTheyStartedAsRedirectionRulesComeAndGo() {
        Partner ids = rig.register("ids");
        rig.chain("c", FailurePolicy.BLOCK, "ids");
        Packet before = Packet.tcp(WEB, 40001, DB, 443, Packet.SYN);
        assertThat(out(before).chainId()).isNull();

        rig.redirect(redirect("to-c", "c").sources("g-web").services("https").direction(Direction.OUT));
        assertThat(in(Packet.tcp(DB, 443, WEB, 40001, Packet.SYN | Packet.ACK)).chainId())
                .as("a flow that started unsteered stays so").isNull();
        assertThat(out(Packet.tcp(WEB, 40002, DB, 443, Packet.SYN)).chainId()).isEqualTo("c");

        rig.deleteRedirectionRule("to-c");
        assertThat(in(Packet.tcp(DB, 443, WEB, 40002, Packet.SYN | Packet.ACK)).chainId())
                .as("a flow that started steered stays so").isEqualTo("c");
        assertThat(out(Packet.tcp(WEB, 40003, DB, 443, Packet.SYN)).chainId()).isNull();
        assertThat(rig.log).containsExactly("ids:ORIGINAL", "ids:REPLY");
    }

    @Test
    void withoutSteeringNothingIsSteered() {
        Partner ids = rig.register("ids");
        rig.chain("c", FailurePolicy.BLOCK, "ids");
        rig.redirect(redirect("to-c", "c").sources("g-web").services("https").direction(Direction.OUT));
        assertThat(out(Packet.tcp(WEB, 40000, DB, 443, Packet.SYN)).chainId()).isEqualTo("c");

        rig.dc.stopSteering();

        assertThat(out(Packet.tcp(WEB, 40001, DB, 443, Packet.SYN)).chainId()).isNull();
        assertThat(in(Packet.tcp(DB, 443, WEB, 40000, Packet.SYN | Packet.ACK)).chainId())
                .as("a flow steered before keeps its chain").isEqualTo("c");
    }
}
