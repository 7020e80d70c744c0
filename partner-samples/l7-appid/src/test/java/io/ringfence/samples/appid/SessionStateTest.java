package io.ringfence.samples.appid;

import static io.ringfence.samples.appid.protocol.Fixtures.ascii;
import static io.ringfence.spi.inspection.Verdict.DROP;
import static io.ringfence.spi.inspection.Verdict.PASS;
import static io.ringfence.spi.inspection.Verdict.PASS_AND_BYPASS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.samples.appid.protocol.ClientHelloBuilder;
import io.ringfence.samples.appid.protocol.Fixtures;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.SessionState;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A flow moves from one instance to a newer one mid-identification, or after a denial, with its state. */
class SessionStateTest {

    private static final Profile DENY_BLOCKED = Flows.profile("denyHosts", List.of("blocked.example"));

    private final AppIdService oldVersion = new AppIdService("1.0.0");
    private final AppIdService newVersion = new AppIdService("1.1.0");
    private final Flows.Alerts alerts = new Flows.Alerts();

    private Flows.Tcp open(Profile profile) {
        return new Flows.Tcp(oldVersion.open(Flows.tcp(), profile, alerts)).handshake();
    }

    private Flows.Tcp resume(Flows.Tcp from, Profile profile) {
        SessionState state = from.session.exportState().orElseThrow();
        from.session.close();
        return new Flows.Tcp(newVersion.resume(Flows.tcp(), profile, alerts, state));
    }

    @Test
    void aClientHelloStartedInOneInstanceIsFinishedInTheNextAtEveryByteBoundary() {
        byte[] hello = new ClientHelloBuilder().serverName("blocked.example").records(128);
        for (int split = 1; split < hello.length; split++) {
            Flows.Tcp before = open(DENY_BLOCKED);
            assertThat(before.client(0, Arrays.copyOf(hello, split))).isEqualTo(PASS);
            Flows.Tcp after = resume(before, DENY_BLOCKED);
            assertThat(after.client(split, Arrays.copyOfRange(hello, split, hello.length))).as("split at %d", split)
                    .isEqualTo(DROP);
        }
        assertThat(alerts.received).hasSize(hello.length - 1);
    }

    @Test
    void segmentsWaitingForAGapMoveWithTheFlow() {
        byte[] hello = new ClientHelloBuilder().serverName("blocked.example").record();
        Flows.Tcp before = open(DENY_BLOCKED);
        assertThat(before.client(40, Arrays.copyOfRange(hello, 40, hello.length))).isEqualTo(PASS);
        Flows.Tcp after = resume(before, DENY_BLOCKED);
        assertThat(after.client(0, Arrays.copyOf(hello, 40))).isEqualTo(DROP);
    }

    @Test
    void theServersBannerMovesWithTheFlowAndSoDoesItsAbandonment() {
        Profile denySsh = Flows.profile("denyApps", List.of("ssh"));
        Flows.Tcp before = open(denySsh);
        assertThat(before.server(ascii("SSH-2.0-"))).isEqualTo(PASS);
        Flows.Tcp after = resume(before, denySsh);
        assertThat(after.server(8, ascii("OpenSSH_9.6\r\n"))).isEqualTo(DROP);

        Flows.Tcp givenUp = open(denySsh);
        assertThat(givenUp.server(ascii("SSH-bad!\r\n"))).isEqualTo(PASS);
        Flows.Tcp movedGivenUp = resume(givenUp, denySsh);
        assertThat(movedGivenUp.server(10, ascii(Fixtures.SSH_SERVER))).isEqualTo(PASS); // still not read
        assertThat(movedGivenUp.client(ascii(Fixtures.SSH_CLIENT))).isEqualTo(DROP);
    }

    @Test
    void aDeniedFlowStaysDeniedWithoutASecondAlertUnlessTheNewProfileAllowsIt() {
        byte[] hello = new ClientHelloBuilder().serverName("blocked.example").record();
        Flows.Tcp before = open(DENY_BLOCKED);
        assertThat(before.client(hello)).isEqualTo(DROP);
        SessionState state = before.session.exportState().orElseThrow();
        assertThat(state.data().length).isLessThan(64); // the identification, not the bytes

        InspectionSession same = newVersion.resume(Flows.tcp(), DENY_BLOCKED, alerts, state);
        assertThat(new Flows.Tcp(same).client(hello)).isEqualTo(DROP);
        InspectionSession relaxed = newVersion.resume(Flows.tcp(), Flows.profile(), alerts, state);
        assertThat(new Flows.Tcp(relaxed).client(hello)).isEqualTo(PASS_AND_BYPASS);
        assertThat(alerts.received).hasSize(1);
    }

    @Test
    void aSmallerBudgetInTheNewProfileDecidesOnTheNextPacket() {
        Flows.Tcp before = open(Flows.profile("unknownAction", "deny"));
        assertThat(before.client(ascii("GET /" + "a".repeat(300)))).isEqualTo(PASS);
        Flows.Tcp after = resume(before, Flows.profile("unknownAction", "deny", "maxBytes", 256L));
        assertThat(after.client(305, new byte[0])).isEqualTo(DROP);
    }

    @Test
    void theLargestStateFitsTheFrameworksLimit() {
        Profile widest = Flows.profile("maxBytes", (long) AppPolicy.MAX_MAX_BYTES);
        Flows.Tcp flow = open(widest);
        // all but the first byte of both windows: the most a session holds undecided
        byte[] rest = new byte[AppPolicy.MAX_MAX_BYTES - 1];
        assertThat(flow.client(1, rest)).isEqualTo(PASS);
        assertThat(flow.server(1, rest)).isEqualTo(PASS);
        SessionState state = flow.session.exportState().orElseThrow();
        assertThat(state.data().length).isLessThanOrEqualTo(SessionState.MAX_SIZE);
        Flows.Tcp after = new Flows.Tcp(newVersion.resume(Flows.tcp(), widest, alerts, state));
        assertThat(after.client(0, new byte[] {0})).isEqualTo(PASS_AND_BYPASS); // full: unknown, allowed by default
    }

    @Test
    void foreignAndCorruptStatesAreRefused() {
        assertThatThrownBy(() -> newVersion.resume(Flows.tcp(), DENY_BLOCKED, alerts, new SessionState("ids/1", new byte[1])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("l7-appid/1");
        Flows.Tcp flow = open(DENY_BLOCKED);
        flow.client(ascii("GET / HTTP/1.1\r\n"));
        flow.server(ascii("HTTP"));
        byte[] data = flow.session.exportState().orElseThrow().data();
        for (int length = 0; length < data.length; length++) {
            SessionState truncated = new SessionState(SessionCodec.FORMAT, Arrays.copyOf(data, length));
            assertThatThrownBy(() -> newVersion.resume(Flows.tcp(), DENY_BLOCKED, alerts, truncated))
                    .as("truncated to %d", length).isInstanceOf(IllegalArgumentException.class);
        }
        byte[] longer = Arrays.copyOf(data, data.length + 1);
        assertThatThrownBy(() -> newVersion.resume(Flows.tcp(), DENY_BLOCKED, alerts, new SessionState(SessionCodec.FORMAT, longer)))
                .hasMessageContaining("left over");
        byte[] badKind = data.clone();
        badKind[0] = 7;
        assertThatThrownBy(() -> newVersion.resume(Flows.tcp(), DENY_BLOCKED, alerts, new SessionState(SessionCodec.FORMAT, badKind)))
                .hasMessageContaining("unknown kind");
    }
}
