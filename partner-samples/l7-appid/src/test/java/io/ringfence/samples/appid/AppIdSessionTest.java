package io.ringfence.samples.appid;

import static io.ringfence.samples.appid.protocol.Fixtures.ascii;
import static io.ringfence.spi.inspection.Verdict.DROP;
import static io.ringfence.spi.inspection.Verdict.PASS;
import static io.ringfence.spi.inspection.Verdict.PASS_AND_BYPASS;
import static io.ringfence.spi.inspection.Verdict.REJECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.samples.appid.protocol.ClientHelloBuilder;
import io.ringfence.samples.appid.protocol.Fixtures;
import io.ringfence.spi.inspection.Alert;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.PacketSide;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppIdSessionTest {

    private final Flows.Alerts alerts = new Flows.Alerts();

    private InspectionSession session(FlowContext flow, Object... profile) {
        return new AppIdSession(flow, AppPolicy.of(Flows.profile(profile)), alerts);
    }

    private Flows.Tcp tcp(Object... profile) {
        return new Flows.Tcp(session(Flows.tcp(), profile)).handshake();
    }

    private static byte[] hello(String serverName) {
        return new ClientHelloBuilder().serverName(serverName).alpn("h2", "http/1.1").record();
    }

    @Test
    void aTlsFlowIsBlockedByServerNameWhileAnotherIsAllowed() {
        Flows.Tcp blocked = tcp("denyHosts", List.of("blocked.example"));
        assertThat(blocked.client(hello("blocked.example"))).isEqualTo(DROP);
        assertThat(alerts.received).singleElement().satisfies(alert -> {
            assertThat(alert.signature()).isEqualTo("host:blocked.example");
            assertThat(alert.blocked()).isTrue();
            assertThat(alert.severity()).isEqualTo(Alert.Severity.MEDIUM);
            assertThat(alert.message()).isEqualTo("tls host=blocked.example (alpn=h2,http/1.1) from 10.0.0.1:40000"
                    + " to 10.0.0.2:443 (VM web-01) denied by denyHosts blocked.example");
        });
        // every later packet of the flow, either side, gets the same verdict
        assertThat(blocked.client(hello("blocked.example"))).isEqualTo(DROP);
        assertThat(blocked.server(new byte[] {22, 3, 3})).isEqualTo(DROP);

        Flows.Tcp allowed = tcp("denyHosts", List.of("blocked.example"));
        assertThat(allowed.client(hello("allowed.example"))).isEqualTo(PASS_AND_BYPASS);
        assertThat(alerts.received).hasSize(1);
    }

    @Test
    void aClientHelloSplitAtEveryByteBoundaryIsDecidedByTheSegmentThatCompletesIt() {
        byte[] hello = new ClientHelloBuilder().serverName("blocked.example").records(100);
        for (int split = 1; split < hello.length; split++) {
            Flows.Tcp flow = tcp("denyHosts", List.of("blocked.example"));
            assertThat(flow.client(Arrays.copyOfRange(hello, 0, split))).as("split at %d", split).isEqualTo(PASS);
            assertThat(flow.client(Arrays.copyOfRange(hello, split, hello.length))).as("split at %d", split).isEqualTo(DROP);
        }
        assertThat(alerts.received).hasSize(hello.length - 1)
                .allSatisfy(alert -> assertThat(alert.signature()).isEqualTo("host:blocked.example"));
    }

    @Test
    void oneByteSegmentsAreReassembledInOrderOrInReverse() {
        byte[] hello = hello("blocked.example");
        Flows.Tcp inOrder = tcp("denyHosts", List.of("*.example"));
        Flows.Tcp reversed = tcp("denyHosts", List.of("*.example"));
        for (int i = 0; i < hello.length - 1; i++) {
            assertThat(inOrder.client(i, new byte[] {hello[i]})).as("byte %d", i).isEqualTo(PASS);
            int j = hello.length - 1 - i;
            assertThat(reversed.client(j, new byte[] {hello[j]})).as("byte %d", j).isEqualTo(PASS);
        }
        assertThat(inOrder.client(hello.length - 1, new byte[] {hello[hello.length - 1]})).isEqualTo(DROP);
        assertThat(reversed.client(0, new byte[] {hello[0]})).isEqualTo(DROP);
    }

    @Test
    void retransmittedBytesCountOnceAndOverlapsKeepTheFirstCopy() {
        byte[] good = hello("good.example");
        byte[] evil = hello("evil.example"); // the same length: only the name's bytes differ
        Flows.Tcp flow = tcp("denyHosts", List.of("evil.example"), "defaultAction", "allow");
        byte[] head = Arrays.copyOf(good, good.length - 10); // the server name is well inside
        assertThat(flow.client(0, head)).isEqualTo(PASS);
        assertThat(flow.client(0, head)).isEqualTo(PASS); // a retransmission adds nothing
        assertThat(flow.client(0, evil)).isEqualTo(PASS_AND_BYPASS); // the name was in the first copy: good.example
        assertThat(alerts.received).isEmpty();
    }

    @Test
    void anHttpRequestIsDecidedByItsHostOnceItsHeadIsComplete() {
        Flows.Tcp flow = tcp("denyHosts", List.of("*.example.com"), "action", "reject");
        byte[] request = ascii(Fixtures.HTTP_GET);
        int sent = 0;
        for (; sent + 7 < request.length; sent += 7) {
            assertThat(flow.client(Arrays.copyOfRange(request, sent, sent + 7))).isEqualTo(PASS);
        }
        assertThat(flow.client(Arrays.copyOfRange(request, sent, request.length))).isEqualTo(REJECT);
        assertThat(alerts.received).singleElement().extracting(Alert::signature).isEqualTo("host:www.example.com");
    }

    @Test
    void sshIsIdentifiedFromTheServersBannerWhenTheServerSpeaksFirst() {
        Flows.Tcp flow = tcp("denyApps", List.of("ssh"));
        assertThat(flow.server(ascii("SSH-2.0-Open"))).isEqualTo(PASS);
        assertThat(flow.server(ascii("SSH_8.9\r\n"))).isEqualTo(DROP);
        assertThat(alerts.received).singleElement().satisfies(alert -> {
            assertThat(alert.signature()).isEqualTo("app:ssh");
            assertThat(alert.message()).startsWith("ssh (SSH-2.0 OpenSSH_8.9) from").endsWith("denied by denyApps");
        });
    }

    @Test
    void sshIsIdentifiedFromTheClientsBannerToo() {
        assertThat(tcp("allowApps", List.of("ssh"), "defaultAction", "deny").client(ascii(Fixtures.SSH_CLIENT)))
                .isEqualTo(PASS_AND_BYPASS);
    }

    @Test
    void aServerMaySendLinesBeforeItsBanner() {
        Flows.Tcp flow = tcp("denyApps", List.of("ssh"));
        assertThat(flow.server(ascii("Authorized users only\r\n"))).isEqualTo(PASS);
        assertThat(flow.server(ascii(Fixtures.SSH_SERVER))).isEqualTo(DROP);
    }

    @Test
    void aServerSpeakingFirstWithoutSshLeavesItToTheClientsBytes() {
        Flows.Tcp smtp = tcp("unknownAction", "deny");
        assertThat(smtp.server(ascii("220 mail.example ESMTP\r\n"))).isEqualTo(PASS);
        assertThat(smtp.client(ascii("EHLO client.example\r\n"))).isEqualTo(DROP);
        assertThat(alerts.received).singleElement().extracting(Alert::signature, Alert::severity)
                .containsExactly("app:unknown", Alert.Severity.LOW);
    }

    @Test
    void aMalformedServerBannerGivesTheServersSideUp() {
        Flows.Tcp flow = tcp("denyApps", List.of("ssh"));
        assertThat(flow.server(ascii("SSH-bad!\r\n"))).isEqualTo(PASS);
        assertThat(flow.server(ascii(Fixtures.SSH_SERVER))).isEqualTo(PASS); // no longer read
        assertThat(flow.client(ascii(Fixtures.SSH_CLIENT))).isEqualTo(DROP); // the client's banner still tells
    }

    @Test
    void bytesThatNoRecognizerAcceptsAreUnknownAtOnce() {
        assertThat(tcp().client(ascii("\0\0\0\0 binary"))).isEqualTo(PASS_AND_BYPASS);
        assertThat(tcp("unknownAction", "deny").client(ascii("EHLO client.example\r\n"))).isEqualTo(DROP);
    }

    @Test
    void nothingIdentifiedWithinTheByteBudgetIsUnknown() {
        Flows.Tcp flow = tcp("maxBytes", 256L, "unknownAction", "deny");
        byte[] endless = ascii("GET /" + "a".repeat(400)); // a request line that never ends
        assertThat(flow.client(Arrays.copyOfRange(endless, 0, 128))).isEqualTo(PASS);
        assertThat(flow.client(Arrays.copyOfRange(endless, 128, 255))).isEqualTo(PASS);
        assertThat(flow.client(Arrays.copyOfRange(endless, 255, 400))).isEqualTo(DROP);
        assertThat(alerts.received).singleElement().extracting(Alert::signature).isEqualTo("app:unknown");
    }

    @Test
    void bytesAfterAGapWaitForItWithinTheBudget() {
        Flows.Tcp flow = tcp("maxBytes", 256L, "unknownAction", "deny");
        assertThat(flow.client(10, ascii("a".repeat(300)))).isEqualTo(PASS); // the gap [0, 10) holds the flow undecided
        assertThat(flow.client(0, ascii("GET /aaaaa"))).isEqualTo(DROP); // then 256 bytes without a request line's end
    }

    @Test
    void dnsOverUdpIsDecidedByItsFirstQuery() {
        InspectionSession blocked = session(Flows.udp(), "denyHosts", List.of("*.tracker.example"));
        byte[] query = Fixtures.dnsQuery("ads.tracker.example", 1);
        assertThat(blocked.inspect(Flows.packet(PacketSide.ORIGINAL, 0, 0, query))).isEqualTo(DROP);
        assertThat(blocked.inspect(Flows.packet(PacketSide.ORIGINAL, 0, 0, query))).isEqualTo(DROP);
        assertThat(alerts.received).singleElement().extracting(Alert::signature).isEqualTo("host:ads.tracker.example");

        InspectionSession other = session(Flows.udp(), "denyHosts", List.of("*.tracker.example"));
        assertThat(other.inspect(Flows.packet(PacketSide.REPLY, 0, 0, query))).isEqualTo(PASS); // replies do not identify
        assertThat(other.inspect(Flows.packet(PacketSide.ORIGINAL, 0, 0, Fixtures.dnsQuery("www.example", 1))))
                .isEqualTo(PASS_AND_BYPASS);

        InspectionSession notDns = session(Flows.udp(), "unknownAction", "deny");
        assertThat(notDns.inspect(Flows.packet(PacketSide.ORIGINAL, 0, 0, ascii("NOTIFY * HTTP/1.1\r\n\r\n"))))
                .isEqualTo(DROP);
    }

    @Test
    void dnsOverTcpFollowsTheLengthPrefix() {
        Flows.Tcp flow = tcp("denyApps", List.of("dns"));
        byte[] stream = Fixtures.overTcp(Fixtures.dnsQuery("zone.example", 252));
        assertThat(flow.client(Arrays.copyOf(stream, 2))).isEqualTo(PASS);
        assertThat(flow.client(Arrays.copyOfRange(stream, 2, stream.length))).isEqualTo(DROP);
        assertThat(alerts.received).singleElement().extracting(Alert::message).asString()
                .startsWith("dns host=zone.example (qtype=252)");
    }

    @Test
    void protocolsWithoutPortsCarryNoApplicationThisFunctionKnows() {
        InspectionSession icmp = session(Flows.flow(1, 0), "unknownAction", "deny");
        assertThat(icmp.inspect(Flows.packet(PacketSide.ORIGINAL, 0, 0, new byte[8]))).isEqualTo(DROP);
    }

    @Test
    void aSessionOpenedMidFlowStartsItsStreamAtTheFirstBytesItSees() {
        Flows.Tcp flow = new Flows.Tcp(session(Flows.tcp(), "denyApps", List.of("http"))); // no handshake seen
        assertThat(flow.client(5000, ascii(Fixtures.HTTP_GET))).isEqualTo(DROP);
    }
}
