package io.ringfence.samples.ids;

import static io.ringfence.samples.ids.Flows.ACK;
import static io.ringfence.samples.ids.Flows.datagram;
import static io.ringfence.samples.ids.Flows.profile;
import static io.ringfence.samples.ids.Flows.segment;
import static io.ringfence.samples.ids.Flows.tcp;
import static io.ringfence.samples.ids.Flows.udp;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.samples.ids.Flows.RecordingAlerts;
import io.ringfence.spi.inspection.Alert;
import io.ringfence.spi.inspection.Alert.Severity;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectedPacket;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdsSessionTest {

    private static final long BASE_SEED = Long.getLong("ringfence.test.seed", 0x1D5_2024L);

    private static final String PASSWD = "drop tcp 80 (id:100001; msg:\"passwd requested\"; content:\"/etc/passwd\"; severity:high)";

    private final IdsInspectionService ids = new IdsInspectionService("1.0.0", IdsInspectionService.builtInRules());
    private final RecordingAlerts alerts = new RecordingAlerts();

    @Test
    void aSignatureSplitAcrossTwoSegmentsDropsTheFlow() {
        InspectionSession session = open(tcp(80), profile(List.of(PASSWD)));
        assertThat(session.inspect(segment(1000, "GET /etc/pa"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(segment(1011, "sswd HTTP/1.1"))).isEqualTo(Verdict.DROP);
        // the flow stays blocked: a retransmission of the blocked segment, and anything after, is dropped
        assertThat(session.inspect(segment(1011, "sswd HTTP/1.1"))).isEqualTo(Verdict.DROP);
        assertThat(session.inspect(segment(PacketSide.REPLY, ACK, 5000, "HTTP/1.1 200 OK"))).isEqualTo(Verdict.DROP);
        assertThat(alerts.alerts).containsExactly(new Alert("100001", "passwd requested", Severity.HIGH, true));
    }

    @Test
    void aSignatureSplitAcrossManySegmentsIsFoundOnTheLastOne() {
        InspectionSession session = open(tcp(80), profile(List.of(PASSWD)));
        String stream = "GET /etc/passwd";
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < stream.length(); i++) {
            verdicts.add(session.inspect(segment(1 + i, stream.substring(i, i + 1))));
        }
        assertThat(verdicts.subList(0, stream.length() - 1)).containsOnly(Verdict.PASS);
        assertThat(verdicts.get(stream.length() - 1)).isEqualTo(Verdict.DROP);
    }

    @Test
    void retransmittedBytesAreScannedOnce() {
        // two occurrences of "ab" are needed: scanning a retransmission again would invent the second
        InspectionSession session = open(tcp(80), profile(List.of(
                "drop tcp any (id:2; msg:\"ab twice\"; content:\"ab\"; content:\"ab\")")));
        assertThat(session.inspect(segment(0, "xab"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(segment(0, "xab"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(segment(1, "ab"))).isEqualTo(Verdict.PASS);
        // overlaps one byte already seen ("b"), then brings "ab": the second occurrence
        assertThat(session.inspect(segment(2, "bab"))).isEqualTo(Verdict.DROP);
        assertThat(alerts.alerts).hasSize(1);
    }

    @Test
    void aRetransmissionCarryingNewBytesCompletesASplitSignature() {
        InspectionSession session = open(tcp(80), profile(List.of(PASSWD)));
        assertThat(session.inspect(segment(0, "GET /etc/pa"))).isEqualTo(Verdict.PASS);
        // repeats "etc/pa" (seq 5-10), then brings "sswd"
        assertThat(session.inspect(segment(5, "etc/passwd"))).isEqualTo(Verdict.DROP);
    }

    @Test
    void aGapRestartsTheStream() {
        InspectionSession session = open(tcp(80), profile(List.of(PASSWD)));
        assertThat(session.inspect(segment(0, "GET /etc/pa"))).isEqualTo(Verdict.PASS);
        // bytes 11-19 are missing: "sswd" at 20 does not continue "/etc/pa"
        assertThat(session.inspect(segment(20, "sswd"))).isEqualTo(Verdict.PASS);
        // the stream goes on from 24
        assertThat(session.inspect(segment(24, " /etc/pa"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(segment(32, "sswd"))).isEqualTo(Verdict.DROP);
    }

    @Test
    void sequenceNumbersWrapAround() {
        InspectionSession session = open(tcp(80), profile(List.of(PASSWD)));
        long start = 0xFFFF_FFFAL;
        assertThat(session.inspect(segment(start, "GET /etc/pa"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(segment(start + 11, "sswd"))).isEqualTo(Verdict.DROP);
    }

    @Test
    void aSynTakesOneSequenceNumberBeforeItsData() {
        InspectionSession session = open(tcp(80), profile(List.of(PASSWD)));
        // data on a SYN (TCP Fast Open) starts at sequence + 1
        assertThat(session.inspect(segment(PacketSide.ORIGINAL, InspectedPacket.SYN, 99, "GET /etc/pa")))
                .isEqualTo(Verdict.PASS);
        assertThat(session.inspect(segment(111, "sswd"))).isEqualTo(Verdict.DROP);
    }

    @Test
    void eachSideIsItsOwnStream() {
        InspectionSession session = open(tcp(80), profile(List.of(PASSWD)));
        assertThat(session.inspect(segment(PacketSide.ORIGINAL, ACK, 0, "GET /etc/pa"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(segment(PacketSide.REPLY, ACK, 7000, "sswd"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(segment(PacketSide.REPLY, ACK, 7004, "/etc/pa"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(segment(PacketSide.ORIGINAL, ACK, 11, "sswd"))).isEqualTo(Verdict.DROP);
    }

    @Test
    void nocaseContentsIgnoreTheCaseOfAsciiLetters() {
        InspectionSession exact = open(tcp(80), profile(List.of(PASSWD)));
        assertThat(exact.inspect(segment(0, "GET /ETC/PASSWD"))).isEqualTo(Verdict.PASS);
        InspectionSession folded = open(tcp(80), profile(List.of(
                "drop tcp 80 (id:3; msg:\"m\"; content:\"/etc/passwd\"; nocase)")));
        assertThat(folded.inspect(segment(0, "GET /ETC/Pa"))).isEqualTo(Verdict.PASS);
        assertThat(folded.inspect(segment(11, "SsWd"))).isEqualTo(Verdict.DROP);
    }

    @Test
    void udpIsMatchedDatagramByDatagram() {
        InspectionSession session = open(udp(53), profile(List.of(
                "drop udp 53 (id:4; msg:\"evil\"; content:\"ev\"; content:\"il\")",
                "alert udp 53 (id:5; msg:\"other\"; content:\"other\")")));
        assertThat(session.inspect(datagram(PacketSide.ORIGINAL, "xxev"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(datagram(PacketSide.ORIGINAL, "il"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(datagram(PacketSide.ORIGINAL, "ev-il"))).isEqualTo(Verdict.DROP);
        assertThat(session.inspect(datagram(PacketSide.ORIGINAL, "harmless"))).isEqualTo(Verdict.DROP);
    }

    @Test
    void detectModeAlertsWithoutBlocking() {
        InspectionSession session = open(tcp(80), profile(List.of(PASSWD,
                "alert tcp 80 (id:6; msg:\"m\"; content:\"never\")"), IdsSettings.MODE, "detect"));
        assertThat(session.inspect(segment(0, "GET /etc/passwd"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(segment(15, "GET /etc/passwd again"))).isEqualTo(Verdict.PASS);
        assertThat(alerts.alerts).containsExactly(new Alert("100001", "passwd requested", Severity.HIGH, false));
    }

    @Test
    void rejectModeRejectsTheFlow() {
        InspectionSession session = open(tcp(80), profile(List.of(PASSWD), IdsSettings.BLOCK_ACTION, "reject"));
        assertThat(session.inspect(segment(0, "GET /etc/passwd"))).isEqualTo(Verdict.REJECT);
        assertThat(session.inspect(segment(15, "more"))).isEqualTo(Verdict.REJECT);
        assertThat(alerts.alerts).singleElement().extracting(Alert::blocked).isEqualTo(true);
    }

    @Test
    void aSignatureIsReportedOncePerFlowAndTheFlowIsBypassedWhenNothingIsLeftToFind() {
        InspectionSession session = open(tcp(80), profile(List.of(
                "alert tcp 80 (id:7; msg:\"seven\"; content:\"seven\")",
                "alert tcp 80 (id:8; msg:\"eight\"; content:\"eight\"; severity:low)")));
        assertThat(session.inspect(segment(0, "seven seven"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(segment(11, " seven"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(segment(17, " eight"))).isEqualTo(Verdict.PASS_AND_BYPASS);
        assertThat(alerts.alerts).containsExactly(new Alert("7", "seven", Severity.MEDIUM, false),
                new Alert("8", "eight", Severity.LOW, false));
    }

    @Test
    void flowsNoSignatureAppliesToAreBypassedAtOnce() {
        Profile profile = profile(List.of(PASSWD, "alert udp 1000:2000 (id:9; msg:\"m\"; content:\"x\")"));
        assertThat(open(tcp(443), profile).inspect(segment(0, "GET /etc/passwd"))).isEqualTo(Verdict.PASS_AND_BYPASS);
        assertThat(open(udp(80), profile).inspect(datagram(PacketSide.ORIGINAL, "/etc/passwd")))
                .isEqualTo(Verdict.PASS_AND_BYPASS);
        assertThat(open(udp(1500), profile).inspect(datagram(PacketSide.ORIGINAL, "x"))).isEqualTo(Verdict.PASS_AND_BYPASS);
        assertThat(alerts.alerts).extracting(Alert::signature).containsExactly("9");
    }

    @Test
    void anyProtocolRulesMatchFlowsWithoutPortsPacketByPacket() {
        FlowContext icmp = Flows.flow(1, 0);
        InspectionSession session = open(icmp, profile(List.of(
                "drop any any (id:10; msg:\"m\"; content:\"ping of doom\")", PASSWD)));
        assertThat(session.inspect(datagram(PacketSide.ORIGINAL, "ping of"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(datagram(PacketSide.ORIGINAL, " doom"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(datagram(PacketSide.ORIGINAL, "a ping of doom"))).isEqualTo(Verdict.DROP);
    }

    @Test
    void segmentsWithoutPayloadOnlyMoveTheSequence() {
        InspectionSession session = open(tcp(80), profile(List.of(PASSWD)));
        assertThat(session.inspect(new InspectedPacket(PacketSide.ORIGINAL, InspectedPacket.SYN, 41, 40, null)))
                .isEqualTo(Verdict.PASS);
        assertThat(session.inspect(segment(42, "GET /etc/pa"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(segment(53, "sswd"))).isEqualTo(Verdict.DROP);
    }

    @Test
    void aSignatureInARandomlySegmentedStreamWithRetransmissionsIsDroppedWhenItsLastByteFirstArrives() {
        String signature = "/etc/passwd";
        for (int iteration = 0; iteration < 300; iteration++) {
            long seed = BASE_SEED + iteration;
            Random random = new Random(seed);
            StringBuilder stream = new StringBuilder();
            int before = random.nextInt(200);
            for (int i = 0; i < before + 200; i++) {
                stream.append((char) ('a' + random.nextInt(26)));
            }
            stream.insert(before, signature);
            int lastByte = before + signature.length() - 1;
            long isn = random.nextLong() & 0xFFFF_FFFFL;
            InspectionSession session = open(tcp(80), profile(List.of(PASSWD)));
            StringBuilder trace = new StringBuilder();
            int sent = 0;
            while (true) {
                // a new segment, or a retransmission that may reach into new bytes
                int start = random.nextInt(3) == 0 ? Math.max(0, sent - 1 - random.nextInt(20)) : sent;
                int end = Math.min(stream.length(), start + 1 + random.nextInt(16));
                trace.append(start).append('-').append(end).append(' ');
                Verdict verdict = session.inspect(segment(isn + start, stream.substring(start, end)));
                boolean completes = sent <= lastByte && end > lastByte;
                assertThat(verdict).as("seed %d (-Dringfence.test.seed=%d), segments %s", seed, seed, trace)
                        .isEqualTo(completes ? Verdict.DROP : Verdict.PASS);
                if (completes) {
                    break;
                }
                sent = Math.max(sent, end);
            }
        }
    }

    private InspectionSession open(FlowContext flow, Profile profile) {
        return ids.open(flow, profile, alerts);
    }
}
