package io.ringfence.dataplane.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.dataplane.agent.HostAgent;
import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.conntrack.ConnectionTracker;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.AddressGroupSet;
import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.RuleSetUpdate.DefaultRule;
import io.ringfence.spi.enforcement.TargetDescriptor.TargetKind;
import io.ringfence.spi.enforcement.TargetRule;
import io.ringfence.spi.enforcement.TargetRuleSet;
import io.ringfence.spi.enforcement.TargetService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Updates as the SPI has them, applied by one agent target (on the caller's thread here): what
 * is acknowledged, and that an update the agent cannot apply changes nothing and says why.
 */
class AgentTargetUpdateTest {

    final HostAgent agent = new HostAgent("h1", new ConnectionTracker(ConnectionTracker.Config.defaults(100)));
    final AgentTarget target = new AgentTarget(agent, Runnable::run);

    static TargetRuleSet web(long generation, TargetService service, String group) {
        TargetRule out = new TargetRule("r-db", "p1", RuleAction.ALLOW, true, false, group, false, List.of(service),
                "pci");
        return new TargetRuleSet("web1-0", "web1", "h1", "02:00:00:00:00:01", List.of("10.0.1.1/32"), generation,
                List.of(), List.of(out), RuleAction.DROP, false);
    }

    static TargetService tcp(int port) {
        return new TargetService(6, List.<int[]>of(new int[] {port, port}), List.of(), null, null);
    }

    static final AddressGroupSet DB = new AddressGroupSet("g-db", List.of("10.0.2.0/24"));

    Acknowledgement apply(RuleSetUpdate update) {
        return target.apply(update).toCompletableFuture().join();
    }

    Verdict open(int port) {
        return agent.process("web1-0", Direction.OUT, Packet.tcp("10.0.1.1", 40000 + port, "10.0.2.1", port,
                Packet.SYN), port);
    }

    @Test
    void itIsTheHypervisorTargetOfItsHostAndTakesDeltas() {
        assertThat(target.descriptor()).satisfies(d -> {
            assertThat(d.id()).isEqualTo("agent:h1");
            assertThat(d.kind()).isEqualTo(TargetKind.HYPERVISOR);
            assertThat(d.hosts()).containsExactly("h1");
            assertThat(d.deltas()).isTrue();
        });
    }

    @Test
    void anAppliedUpdateIsAcknowledgedWithTheGenerationOfEachOfItsVnics() {
        Acknowledgement ack = apply(new RuleSetUpdate(1, true, List.of(web(7, tcp(3306), "g-db")), List.of(),
                List.of(DB), List.of(), DefaultRule.DENY));

        assertThat(ack).isEqualTo(Acknowledgement.applied(1, Map.of("web1-0", 7L)));
        assertThat(open(3306)).extracting(Verdict::action, Verdict::ruleId, Verdict::generation)
                .containsExactly(Action.ALLOW, "r-db", 7L);
        assertThat(open(22).ruleId()).isEqualTo(Verdict.DEFAULT);

        // a delta changing only the address group rebuilds the tables naming it, same generation
        Acknowledgement delta = apply(new RuleSetUpdate(2, false, List.of(), List.of(),
                List.of(new AddressGroupSet("g-db", List.of("10.0.9.0/24"))), List.of(), DefaultRule.DENY));
        assertThat(delta).isEqualTo(Acknowledgement.applied(2, Map.of()));
        assertThat(open(3306).action()).isEqualTo(Action.DROP);
    }

    @Test
    void aProtocolTheDataPlaneDoesNotKnowIsRefusedAndNothingApplies() {
        apply(new RuleSetUpdate(1, true, List.of(web(7, tcp(3306), "g-db")), List.of(), List.of(DB), List.of(),
                DefaultRule.DENY));
        TargetService sctp = new TargetService(132, List.of(), List.of(), null, null);

        Acknowledgement ack = apply(new RuleSetUpdate(2, false, List.of(web(8, sctp, "g-db")), List.of(), List.of(),
                List.of(), new DefaultRule(RuleAction.ALLOW, false)));

        assertThat(ack.ok()).isFalse();
        assertThat(ack.error().code()).isEqualTo("unsupported-rule");
        assertThat(ack.error().message()).contains("protocol 132");
        assertThat(ack.error().retryable()).isFalse();
        assertThat(agent.tables("web1-0").orElseThrow().generation()).isEqualTo(7);
        assertThat(agent.process("other-0", Direction.OUT, Packet.tcp("10.0.1.9", 1, "10.0.2.1", 22, Packet.SYN), 1)
                .action()).isEqualTo(Action.DROP); // the default rule of the refused update did not apply either
    }

    @Test
    void aRuleSetNamingAnAddressGroupTheHostDoesNotHaveIsRejectedAndNothingApplies() {
        apply(new RuleSetUpdate(1, true, List.of(web(7, tcp(3306), "g-db")), List.of(), List.of(DB), List.of(),
                DefaultRule.DENY));
        TargetRuleSet other = new TargetRuleSet("app1-0", "app1", "h1", null, List.of(), 8, List.of(),
                List.of(), RuleAction.DROP, false);

        Acknowledgement ack = apply(new RuleSetUpdate(2, false, List.of(other, web(8, tcp(443), "g-nowhere")),
                List.of(), List.of(), List.of("g-db"), DefaultRule.DENY));

        assertThat(ack.error().code()).isEqualTo("rejected-rule-set");
        assertThat(ack.error().message()).contains("g-nowhere");
        assertThat(agent.vnics()).containsExactly("web1-0");
        assertThat(open(3306).action()).isEqualTo(Action.ALLOW); // g-db was not released either
    }
}
