package io.ringfence.insertion.internal;

import static io.ringfence.insertion.internal.Rig.chain;
import static io.ringfence.insertion.internal.Rig.hop;
import static io.ringfence.insertion.internal.Rig.original;
import static io.ringfence.insertion.internal.Rig.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ringfence.insertion.ChainSession;
import io.ringfence.insertion.ChainSpec;
import io.ringfence.insertion.ChainStats;
import io.ringfence.insertion.ChainVerdict;
import io.ringfence.insertion.FailurePolicy;
import io.ringfence.insertion.FunctionStats;
import io.ringfence.insertion.HopOutcome;
import io.ringfence.insertion.HopResult;
import io.ringfence.insertion.RecentAlert;
import io.ringfence.spi.inspection.Alert;
import io.ringfence.spi.inspection.Verdict;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChainSteeringTest {

    private final Rig rig = new Rig();
    private final FakeFunction ids = rig.function("ids", "1.0.0");
    private final FakeFunction appId = rig.function("app-id", "2.1.0");
    private final FakeFunction av = rig.function("av", "0.3.0");

    @AfterEach
    void tearDown() {
        rig.close();
        assertThat(ids.violations).isEmpty();
        assertThat(appId.violations).isEmpty();
        assertThat(av.violations).isEmpty();
    }

    @Test
    void packetsGoThroughTheForwardPathInOrderAndRepliesThroughTheReversePath() {
        rig.register(ids);
        rig.register(appId);
        rig.register(av);
        ChainSession s = rig.open(chain("c", FailurePolicy.BLOCK, hop(ids), hop(appId), hop(av)));

        ChainVerdict out = s.process(original());
        ChainVerdict back = s.process(reply());

        assertThat(rig.trace).containsExactly("ids:ORIGINAL", "app-id:ORIGINAL", "av:ORIGINAL",
                "av:REPLY", "app-id:REPLY", "ids:REPLY");
        assertThat(out.verdict()).isEqualTo(Verdict.PASS);
        assertThat(out.hops()).extracting(HopResult::profileId).containsExactly("ids", "app-id", "av");
        assertThat(out.hops()).extracting(HopResult::version).containsExactly("1.0.0", "2.1.0", "0.3.0");
        assertThat(out.hops()).extracting(HopResult::outcome).containsOnly(HopOutcome.INSPECTED);
        assertThat(back.hops()).extracting(HopResult::profileId).containsExactly("av", "app-id", "ids");
        // one session per function for the flow, seeing both sides
        assertThat(ids.sessions).singleElement().satisfies(x -> assertThat(x.packets).hasValue(2));
    }

    @Test
    void aReversePathOfItsOwnHasItsOwnHops() {
        rig.register(ids);
        rig.register(appId);
        ChainSession s = rig.open(new ChainSpec("c", List.of(hop(ids)), List.of(hop(appId)), FailurePolicy.BLOCK,
                Rig.LONG_DEADLINE));

        s.process(original());
        s.process(reply());

        assertThat(rig.trace).containsExactly("ids:ORIGINAL", "app-id:REPLY");
    }

    @Test
    void aDropEndsThePacketsPathButNotTheFlow() {
        rig.register(ids);
        rig.register(appId);
        ids.behavior = (session, p) -> session.packets.get() == 1 ? Verdict.DROP : Verdict.PASS;
        ChainSession s = rig.open(chain("c", FailurePolicy.ALLOW, hop(ids), hop(appId)));

        ChainVerdict first = s.process(original());
        ChainVerdict second = s.process(original());

        assertThat(first.verdict()).isEqualTo(Verdict.DROP);
        assertThat(first.hops()).extracting(HopResult::profileId).containsExactly("ids");
        assertThat(second.verdict()).isEqualTo(Verdict.PASS);
        assertThat(rig.trace).containsExactly("ids:ORIGINAL", "ids:ORIGINAL", "app-id:ORIGINAL");
    }

    @Test
    void aRejectEndsTheFlow() {
        rig.register(ids);
        rig.register(appId);
        appId.behavior = (session, p) -> Verdict.REJECT;
        ChainSession s = rig.open(chain("c", FailurePolicy.ALLOW, hop(ids), hop(appId)));

        assertThat(s.process(original()).verdict()).isEqualTo(Verdict.REJECT);
        ChainVerdict late = s.process(reply());

        assertThat(late.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(late.hops()).isEmpty();
        await().untilAsserted(() -> {
            assertThat(ids.sessions).singleElement().satisfies(x -> assertThat(x.closes).hasValue(1));
            assertThat(appId.sessions).singleElement().satisfies(x -> assertThat(x.closes).hasValue(1));
        });
    }

    @Test
    void passAndBypassTakesTheFlowOutOfThatFunctionAndOutOfTheChainOnceEveryFunctionDid() {
        rig.register(ids);
        rig.register(appId);
        ids.behavior = (session, p) -> Verdict.PASS_AND_BYPASS;
        appId.behavior = (session, p) -> session.packets.get() < 3 ? Verdict.PASS : Verdict.PASS_AND_BYPASS;
        ChainSession s = rig.open(chain("c", FailurePolicy.BLOCK, hop(ids), hop(appId)));

        ChainVerdict first = s.process(original());
        ChainVerdict second = s.process(reply());
        ChainVerdict third = s.process(original());
        ChainVerdict fourth = s.process(original());

        assertThat(first.verdict()).isEqualTo(Verdict.PASS);
        assertThat(first.hops()).extracting(HopResult::verdict).containsExactly(Verdict.PASS_AND_BYPASS, Verdict.PASS);
        assertThat(second.hops()).extracting(HopResult::outcome).containsExactly(HopOutcome.INSPECTED, HopOutcome.BYPASSED);
        assertThat(third.verdict()).isEqualTo(Verdict.PASS_AND_BYPASS);
        assertThat(fourth.verdict()).isEqualTo(Verdict.PASS_AND_BYPASS);
        assertThat(fourth.hops()).extracting(HopResult::outcome).containsOnly(HopOutcome.BYPASSED);
        await().untilAsserted(() -> assertThat(ids.sessions).singleElement().satisfies(x -> {
            assertThat(x.packets).hasValue(1);
            assertThat(x.closes).hasValue(1);
        }));
        assertThat(appId.sessions).singleElement().satisfies(x -> assertThat(x.packets).hasValue(3));
    }

    @Test
    void closingTheFlowClosesItsSessionsOnceAndLaterPacketsGetThePolicy() {
        rig.register(ids);
        ChainSession s = rig.open(chain("c", FailurePolicy.BLOCK, hop(ids)));
        s.process(original());

        s.close();
        s.close();

        await().untilAsserted(() -> assertThat(ids.sessions).singleElement().satisfies(x -> assertThat(x.closes).hasValue(1)));
        assertThat(s.process(original()).verdict()).isEqualTo(Verdict.DROP);
        assertThat(rig.insertion.chainStats("c")).get().extracting(ChainStats::sessionsOpen).isEqualTo(0L);
    }

    @Test
    void countersAddUpPerChainAndPerFunction() {
        rig.register(ids);
        ids.behavior = (session, p) -> switch (session.packets.get() % 3) {
            case 0 -> Verdict.DROP;
            default -> Verdict.PASS;
        };
        ChainSession a = rig.open(chain("c", FailurePolicy.BLOCK, hop(ids)));
        ChainSession b = rig.open(chain("c", FailurePolicy.BLOCK, hop(ids)));
        for (int i = 0; i < 6; i++) {
            a.process(original());
            b.process(i % 2 == 0 ? original() : reply());
        }
        a.close();

        ChainStats c = rig.insertion.chainStats("c").orElseThrow();
        assertThat(c.packets()).isEqualTo(12).isEqualTo(c.passed() + c.dropped() + c.rejected() + c.bypassed());
        assertThat(c.dropped()).isEqualTo(4);
        assertThat(c.sessionsOpen()).isEqualTo(1);
        assertThat(c.sessionsTotal()).isEqualTo(2);
        assertThat(c.latency().count()).isEqualTo(12);
        assertThat(c.latency().p99Nanos()).isPositive().isLessThanOrEqualTo(c.latency().maxNanos());
        FunctionStats f = rig.insertion.functionStats().get(0);
        assertThat(f.definitionId()).isEqualTo("acme/ids");
        assertThat(f.packets()).isEqualTo(12);
        assertThat(f.verdicts()).containsEntry(Verdict.PASS, 8L).containsEntry(Verdict.DROP, 4L);
        assertThat(f.sessionsOpen()).isEqualTo(1);
        assertThat(f.sessionsOpened()).isEqualTo(2);
        assertThat(f.failures()).isEmpty();
    }

    @Test
    void eachFunctionGetsItsOwnViewOfThePayload() {
        rig.register(ids);
        rig.register(appId);
        // the first function reads the payload to its end; the second must still see all of it
        ids.behavior = (session, p) -> {
            p.payload().position(p.payload().limit());
            return Verdict.PASS;
        };
        appId.behavior = (session, p) -> p.payload().remaining() == 3 ? Verdict.PASS : Verdict.DROP;

        ChainVerdict v = rig.open(chain("c", FailurePolicy.BLOCK, hop(ids), hop(appId))).process(original());

        assertThat(v.verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void alertsAreKeptPerDefinitionNewestFirstAndTheSinkDiesWithItsSession() {
        rig.register(ids);
        ids.behavior = (session, p) -> {
            session.alerts.alert(new Alert("sig-" + session.packets.get(), "seen", Alert.Severity.HIGH, false));
            return Verdict.PASS;
        };
        ChainSession s = rig.open(chain("c", FailurePolicy.BLOCK, hop(ids)));
        s.process(original());
        s.process(reply());
        s.close();

        List<RecentAlert> alerts = rig.insertion.recentAlerts("acme/ids", 10);
        assertThat(alerts).extracting(a -> a.alert().signature()).containsExactly("sig-2", "sig-1");
        assertThat(alerts.get(0)).satisfies(a -> {
            assertThat(a.chainId()).isEqualTo("c");
            assertThat(a.version()).isEqualTo("1.0.0");
            assertThat(a.vmId()).isEqualTo("web-01");
        });
        assertThat(rig.insertion.recentAlerts("acme/ids", 1)).hasSize(1);
        assertThat(rig.insertion.recentAlerts("acme/none", 10)).isEmpty();
        FakeFunction.FakeSession closed = ids.sessions.peek();
        await().untilAsserted(() -> assertThat(closed.closes).hasValue(1));
        assertThatThrownBy(
                        () -> closed.alerts.alert(new Alert("late", "late", Alert.Severity.LOW, false)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theAlertsOfEveryDefinitionMergeNewestFirstAndOutliveTheirInstances() {
        long idsService = rig.register(ids);
        rig.register(appId);
        ids.behavior = (session, p) -> {
            session.alerts.alert(new Alert("ids-" + session.packets.get(), "seen", Alert.Severity.HIGH, true));
            return Verdict.PASS;
        };
        appId.behavior = (session, p) -> {
            session.alerts.alert(new Alert("app-" + session.packets.get(), "seen", Alert.Severity.LOW, false));
            return Verdict.PASS;
        };
        ChainSession s = rig.open(chain("c", FailurePolicy.BLOCK, hop(ids), hop(appId)));
        s.process(original());
        s.process(original());
        s.close();
        rig.registry.remove(idsService);

        List<RecentAlert> all = rig.insertion.recentAlerts(10);
        assertThat(all).extracting(a -> a.alert().signature())
                .containsExactlyInAnyOrder("ids-1", "app-1", "ids-2", "app-2");
        assertThat(all).extracting(RecentAlert::time).isSortedAccordingTo(Comparator.reverseOrder());
        List<RecentAlert> newest = rig.insertion.recentAlerts(2);
        assertThat(newest).hasSize(2).allSatisfy(a -> assertThat(a.time()).isAfterOrEqualTo(all.get(2).time()));
        assertThat(rig.insertion.recentAlerts(0)).isEmpty();
    }
}
