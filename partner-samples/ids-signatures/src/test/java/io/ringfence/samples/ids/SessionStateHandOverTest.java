package io.ringfence.samples.ids;

import static io.ringfence.samples.ids.Flows.ACK;
import static io.ringfence.samples.ids.Flows.profile;
import static io.ringfence.samples.ids.Flows.segment;
import static io.ringfence.samples.ids.Flows.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.samples.ids.Flows.RecordingAlerts;
import io.ringfence.spi.inspection.Alert;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.SessionState;
import io.ringfence.spi.inspection.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A flow in progress moves from one instance of the IDS (the old bundle version) to another (the
 * new one) with the state the first exports: what was half-seen before the move is completed after.
 */
class SessionStateHandOverTest {

    private static final String PASSWD = "drop tcp 80 (id:100001; msg:\"passwd requested\"; content:\"/etc/passwd\")";

    private final IdsInspectionService oldVersion = new IdsInspectionService("1.0.0", IdsInspectionService.builtInRules());
    private final IdsInspectionService newVersion = new IdsInspectionService("1.1.0", IdsInspectionService.builtInRules());
    private final RecordingAlerts alerts = new RecordingAlerts();
    private final FlowContext flow = tcp(80);

    @Test
    void aSignatureSplitAcrossTheHandOverIsStillFound() {
        Profile profile = profile(List.of(PASSWD));
        InspectionSession before = oldVersion.open(flow, profile, alerts);
        assertThat(before.inspect(segment(1000, "GET /etc/pa"))).isEqualTo(Verdict.PASS);
        SessionState state = before.exportState().orElseThrow();
        assertThat(state.format()).isEqualTo("ids-stream/1");

        InspectionSession after = newVersion.resume(flow, profile, alerts, state);
        assertThat(after.inspect(segment(1011, "sswd HTTP/1.1"))).isEqualTo(Verdict.DROP);
        // without the state, the new instance cannot know what came before
        InspectionSession fresh = newVersion.open(flow, profile, new RecordingAlerts());
        assertThat(fresh.inspect(segment(1011, "sswd HTTP/1.1"))).isEqualTo(Verdict.PASS);
    }

    @Test
    void theSequenceTrackingMovesToo() {
        Profile profile = profile(List.of(PASSWD));
        InspectionSession before = oldVersion.open(flow, profile, alerts);
        before.inspect(segment(1000, "GET /etc/pa"));
        InspectionSession after = newVersion.resume(flow, profile, alerts, before.exportState().orElseThrow());
        // a retransmission of bytes the old instance saw, reaching into new ones: only "sswd" is new
        assertThat(after.inspect(segment(1005, "etc/passwd"))).isEqualTo(Verdict.DROP);
    }

    @Test
    void multiContentProgressAndBothSidesMove() {
        Profile profile = profile(List.of(
                "drop tcp 80 (id:20; msg:\"login as root\"; content:\"USER\"; content:\"root\")",
                "alert tcp 80 (id:21; msg:\"server banner\"; content:\"vsFTPd\"; nocase)"));
        InspectionSession before = oldVersion.open(flow, profile, alerts);
        before.inspect(segment(PacketSide.REPLY, ACK, 9000, "220 (VSft"));
        before.inspect(segment(PacketSide.ORIGINAL, ACK, 100, "USER r"));
        InspectionSession after = newVersion.resume(flow, profile, alerts, before.exportState().orElseThrow());
        assertThat(after.inspect(segment(PacketSide.REPLY, ACK, 9009, "Pd 3.0.3)"))).isEqualTo(Verdict.PASS);
        assertThat(after.inspect(segment(PacketSide.ORIGINAL, ACK, 106, "oot"))).isEqualTo(Verdict.DROP);
        assertThat(alerts.alerts).extracting(Alert::signature).containsExactly("21", "20");
    }

    @Test
    void whatWasReportedOrBlockedStaysSo() {
        Profile profile = profile(List.of(PASSWD, "alert tcp 80 (id:22; msg:\"m\"; content:\"curl\")",
                "alert tcp 80 (id:23; msg:\"m\"; content:\"never\")"));
        InspectionSession reported = oldVersion.open(flow, profile, alerts);
        reported.inspect(segment(0, "User-Agent: curl"));
        InspectionSession resumed = newVersion.resume(flow, profile, alerts, reported.exportState().orElseThrow());
        assertThat(resumed.inspect(segment(16, " curl"))).isEqualTo(Verdict.PASS);
        assertThat(alerts.alerts).extracting(Alert::signature).containsExactly("22");

        InspectionSession blocked = oldVersion.open(flow, profile, alerts);
        assertThat(blocked.inspect(segment(0, "GET /etc/passwd"))).isEqualTo(Verdict.DROP);
        InspectionSession stillBlocked = newVersion.resume(flow, profile, alerts, blocked.exportState().orElseThrow());
        assertThat(stillBlocked.inspect(segment(15, "harmless"))).isEqualTo(Verdict.DROP);
    }

    @Test
    void aNewVersionWithOtherSignaturesGoesOnWithTheOnesItKept() {
        // the new version ships another rule set, so indexes and automata differ: the stream's tail and the ids carry
        IdsInspectionService v1 = new IdsInspectionService("1.0.0",
                "drop tcp 80 (id:1001; msg:\"passwd\"; content:\"/etc/passwd\")");
        IdsInspectionService v2 = new IdsInspectionService("2.0.0",
                "drop tcp 80 (id:1000; msg:\"shadow\"; content:\"/etc/shadow\")\n"
                        + "alert tcp 80 (id:1002; msg:\"login\"; content:\"USER\"; content:\"root\"; nocase)\n"
                        + "drop tcp 80 (id:1001; msg:\"passwd\"; content:\"/etc/passwd\")");
        Profile profile = new Profile("default", "Default", java.util.Map.of());
        InspectionSession before = v1.open(flow, profile, alerts);
        before.inspect(segment(0, "GET /etc/pa"));
        InspectionSession after = v2.resume(flow, profile, alerts, before.exportState().orElseThrow());
        assertThat(after.inspect(segment(11, "sswd"))).isEqualTo(Verdict.DROP);
        assertThat(alerts.alerts).extracting(Alert::message).containsExactly("passwd");
    }

    @Test
    void progressOfARuleWhoseContentsChangedIsNotCarried() {
        InspectionSession before = oldVersion.open(flow, profile(List.of(
                "drop tcp 80 (id:30; msg:\"m\"; content:\"alpha\"; content:\"omega\")")), alerts);
        before.inspect(segment(0, "alpha "));
        Profile edited = profile(List.of("drop tcp 80 (id:30; msg:\"m\"; content:\"beta\"; content:\"omega\")"));
        InspectionSession after = newVersion.resume(flow, edited, alerts, before.exportState().orElseThrow());
        assertThat(after.inspect(segment(6, "omega"))).isEqualTo(Verdict.PASS);
    }

    @Test
    void stateFromAnotherFormatOrCorruptIsRefused() {
        Profile profile = profile(List.of(PASSWD));
        assertThatThrownBy(() -> newVersion.resume(flow, profile, alerts, new SessionState("ids-stream/2", new byte[1])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot import session state of format ids-stream/2: this version reads ids-stream/1");
        InspectionSession before = oldVersion.open(flow, profile, alerts);
        before.inspect(segment(0, "GET /etc/pa"));
        byte[] good = before.exportState().orElseThrow().data();
        for (int length = 0; length < good.length; length++) {
            SessionState truncated = new SessionState("ids-stream/1", Arrays.copyOf(good, length));
            assertThatThrownBy(() -> newVersion.resume(flow, profile, alerts, truncated))
                    .as("truncated to %d bytes", length).hasMessageStartingWith("corrupt ids-stream/1 session state");
        }
        SessionState longer = new SessionState("ids-stream/1", Arrays.copyOf(good, good.length + 1));
        assertThatThrownBy(() -> newVersion.resume(flow, profile, alerts, longer)).hasMessageContaining("bytes after the end");
        byte[] badVerdict = good.clone();
        badVerdict[0] = 7;
        assertThatThrownBy(() -> newVersion.resume(flow, profile, alerts, new SessionState("ids-stream/1", badVerdict)))
                .hasMessageContaining("unknown blocked verdict 7");
    }

    @Test
    void theLargestStateFitsTheFrameworksLimit() {
        // every rule a profile may have, each half-matched on both sides, and the built-in rules
        List<String> rules = new ArrayList<>();
        StringBuilder firstHalves = new StringBuilder();
        for (int i = 1; i <= IdsSettings.MAX_PROFILE_RULES; i++) {
            rules.add("drop tcp any (id:" + (100000 + i) + "; msg:\"m\"; content:\"<" + i + ">\"; content:\"#\")");
            firstHalves.append('<').append(i).append('>');
        }
        String eicarHead = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FIL";
        Profile profile = profile(rules, IdsSettings.BUILT_IN_RULES, true, IdsSettings.MODE, "detect");
        InspectionSession before = oldVersion.open(flow, profile, alerts);
        before.inspect(segment(PacketSide.ORIGINAL, ACK, 0, firstHalves.toString()));
        before.inspect(segment(PacketSide.REPLY, ACK, 0, firstHalves + eicarHead));
        SessionState state = before.exportState().orElseThrow();
        assertThat(state.data().length).isLessThan(SessionState.MAX_SIZE);
        assertThat(alerts.alerts).isEmpty();

        InspectionSession after = newVersion.resume(flow, profile, alerts, state);
        after.inspect(segment(PacketSide.REPLY, ACK, firstHalves.length() + eicarHead.length(), "E!"));
        after.inspect(segment(PacketSide.ORIGINAL, ACK, firstHalves.length(), "#"));
        assertThat(alerts.alerts).hasSize(IdsSettings.MAX_PROFILE_RULES + 1);
    }
}
