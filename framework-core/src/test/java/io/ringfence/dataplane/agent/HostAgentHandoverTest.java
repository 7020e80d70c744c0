package io.ringfence.dataplane.agent;

import static io.ringfence.dataplane.agent.AgentFixture.DB;
import static io.ringfence.dataplane.agent.AgentFixture.WEB;
import static io.ringfence.dataplane.agent.AgentFixture.webToDb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.compiler.AddressGroup;
import io.ringfence.compiler.CompiledRule;
import io.ringfence.compiler.HostDelta;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.dataplane.conntrack.ConnectionTracker;
import io.ringfence.dataplane.conntrack.FlowState;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A vNIC handed over from its host's agent (h1) to another host's (h3, which the compiler does not feed
 * here: it gets web1's tables as a VM move gives them): its connections go on there without being
 * classified again, its counters add up, and the destination's tables still decide what may go on.
 */
class HostAgentHandoverTest {

    private final AgentFixture dc = new AgentFixture();
    private final HostAgent h3 = new HostAgent("h3", new ConnectionTracker(ConnectionTracker.Config.defaults(100)));
    private final Packet ack = Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK);
    private final Packet replyAck = Packet.tcp(DB, 3306, WEB, 40000, Packet.ACK);

    /** Gives h3 web1's tables as the compiler has them now, with the address groups they refer to. */
    private void realizeWebOnH3() {
        List<VnicRuleSet> sets = dc.compiler.ruleSetsOfVm("web1");
        List<AddressGroup> groups = sets.stream().flatMap(rs -> Stream.concat(rs.in().stream(), rs.out().stream()))
                .map(CompiledRule::remote).filter(Objects::nonNull).distinct()
                .map(id -> dc.compiler.addressGroup(id).orElseThrow()).toList();
        h3.accept(new HostDelta("h3", dc.compiler.generation(), false, sets, List.of(), groups, List.of()));
    }

    private void handshake(long now) {
        assertThat(List.of(
                dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN), now),
                dc.h1.process("web1-0", Direction.IN, Packet.tcp(DB, 3306, WEB, 40000, Packet.SYN | Packet.ACK), now + 1),
                dc.h1.process("web1-0", Direction.OUT, ack, now + 2))).allMatch(Verdict::allowed);
    }

    @Test
    void theDestinationEnforcesTheVnicOnceItsRuleSetIsThereAtItsGeneration() {
        long generation = dc.compiler.ruleSet("web1-0").orElseThrow().generation();
        assertThat(h3.enforces("web1-0", generation)).isFalse();

        realizeWebOnH3();

        assertThat(h3.enforces("web1-0", generation)).isTrue();
        assertThat(h3.enforces("web1-0", generation + 1)).isFalse();
        String remote = dc.compiler.ruleSet("web1-0").orElseThrow().out().get(0).remote();
        assertThat(h3.hasAddressGroup(remote)).isTrue();
        assertThat(h3.hasAddressGroup("no-such-group")).isFalse();
    }

    @Test
    void anEstablishedConnectionGoesOnAtTheDestinationFromItsFlowTableWithItsCounters() {
        handshake(10);
        assertThat(dc.h1.process("web1-0", Direction.IN, replyAck, 20).allowed()).isTrue();
        realizeWebOnH3();

        VnicHandover handover = dc.h1.exportVnic("web1-0", 100);
        int kept = h3.importVnic(handover, 100);

        assertThat(kept).isEqualTo(1);
        assertThat(handover.counters().allowed()).isEqualTo(4);
        assertThat(handover.counters().flowsCreated()).isEqualTo(1);
        assertThat(dc.h1.vnicStats("web1-0").orElseThrow().allowed()).as("the counters left with the vNIC").isZero();
        for (long t = 101; t < 111; t++) {
            Verdict out = h3.process("web1-0", Direction.OUT, ack, t);
            Verdict in = h3.process("web1-0", Direction.IN, replyAck, t);
            assertThat(List.of(out, in)).allSatisfy(v -> assertThat(v)
                    .extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable)
                    .containsExactly(Action.ALLOW, "r-mysql", true));
        }
        VnicStats stats = h3.vnicStats("web1-0").orElseThrow();
        assertThat(stats.allowed()).isEqualTo(4 + 20);
        assertThat(stats.flowsCreated()).isEqualTo(1);
        assertThat(stats.dropped()).isZero();
        assertThat(h3.tracker().flows("web1-0")).singleElement().satisfies(f -> {
            assertThat(f.state()).isEqualTo(FlowState.ESTABLISHED);
            assertThat(f.originalPackets()).isEqualTo(2 + 10);
            assertThat(f.replyPackets()).isEqualTo(2 + 10);
        });
        assertThat(h3.ruleStats("r-mysql").packets()).isEqualTo(20);
        assertThat(h3.ruleStats("r-mysql").sessions()).as("no flow was opened here").isZero();
    }

    @Test
    void flowsCannotComeBeforeTheVnicsRuleSet() {
        handshake(10);
        VnicHandover handover = dc.h1.exportVnic("web1-0", 100);

        assertThatThrownBy(() -> h3.importVnic(handover, 100)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no rule set for vNIC web1-0");
        assertThat(h3.tracker().size()).isZero();
    }

    @Test
    void aFlowTheDestinationsRulesNoLongerAllowIsCutOnArrival() {
        handshake(10);
        // the flow leaves h1 as r-mysql allowed it; by the time it arrives, r-mysql drops
        VnicHandover handover = dc.h1.exportVnic("web1-0", 100);
        dc.replaceRule(webToDb("r-mysql", 10, "mysql", Action.DROP));
        realizeWebOnH3();

        int kept = h3.importVnic(handover, 100);

        assertThat(kept).isZero();
        assertThat(h3.tracker().flows("web1-0")).isEmpty();
        assertThat(h3.vnicStats("web1-0").orElseThrow().flowsCut()).isEqualTo(1);
        Verdict next = h3.process("web1-0", Direction.OUT, ack, 101);
        assertThat(next).extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.DROP, Verdict.INVALID);
    }
}
