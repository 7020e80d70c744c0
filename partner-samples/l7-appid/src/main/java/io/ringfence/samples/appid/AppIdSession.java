package io.ringfence.samples.appid;

import io.ringfence.samples.appid.protocol.Identification;
import io.ringfence.samples.appid.protocol.Recognizers;
import io.ringfence.samples.appid.protocol.Scan;
import io.ringfence.spi.inspection.Alert;
import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectedPacket;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.SessionState;
import io.ringfence.spi.inspection.Verdict;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Identifies one flow and enforces a profile on it.
 *
 * <p>While the flow is being identified its packets pass: the bytes that identify an application
 * (a ClientHello, a request head) reach the server before the function knows what they are, as with
 * any application-identification engine. The packet that completes the identification gets the
 * decision: an allowed flow passes and is bypassed from then on; a denied flow's packet is dropped
 * or rejected, an alert goes to the {@link AlertSink}, and every later packet of the flow gets the
 * same verdict. Each packet costs at most one pass of each recognizer over {@code maxBytes} bytes.
 *
 * <p>Not thread-safe, as the SPI allows: a session is never called concurrently with itself.
 */
final class AppIdSession implements InspectionSession {

    private static final System.Logger LOG = System.getLogger(AppIdSession.class.getName());

    private final FlowContext flow;
    private final AppPolicy policy;
    private final AlertSink alerts;
    /** The first bytes of each side of a TCP flow; null once of no more use. */
    private StreamPrefix client;
    private StreamPrefix server;
    private Identification identification;
    private Verdict verdict;

    AppIdSession(FlowContext flow, AppPolicy policy, AlertSink alerts) {
        this(flow, policy, alerts, new StreamPrefix(policy.maxBytes()), new StreamPrefix(policy.maxBytes()));
    }

    /** A session taking over a flow still being identified, with the bytes buffered so far ({@code server} may be null). */
    AppIdSession(FlowContext flow, AppPolicy policy, AlertSink alerts, StreamPrefix client, StreamPrefix server) {
        this.flow = flow;
        this.policy = policy;
        this.alerts = alerts;
        this.client = client;
        this.server = server;
    }

    /**
     * A session taking over a flow already identified (and denied: an allowed flow is bypassed, so it
     * never moves). Its own profile decides again, without a second alert for the flow.
     */
    static AppIdSession identified(FlowContext flow, AppPolicy policy, AlertSink alerts, Identification identification) {
        AppIdSession session = new AppIdSession(flow, policy, alerts, null, null);
        session.decide(identification, false);
        return session;
    }

    @Override
    public Verdict inspect(InspectedPacket packet) {
        if (verdict != null) {
            return verdict;
        }
        Identification found;
        try {
            found = identify(packet);
        } catch (RuntimeException e) {
            // The recognizers are built never to throw, whatever the bytes. Should one fail anyway, the
            // flow is one this function could not identify: the admin's unknownAction decides it, not
            // the chain's failure policy, which crafted bytes could otherwise choose.
            LOG.log(Level.WARNING, "flow " + flow.flowId() + ": identification failed", e);
            found = Identification.UNKNOWN;
        }
        return found == null ? Verdict.PASS : decide(found, true);
    }

    /** What the flow is once this packet is seen; null while it takes more packets to tell. */
    private Identification identify(InspectedPacket packet) {
        return switch (flow.protocol()) {
            case FlowContext.TCP -> fromStream(packet);
            case FlowContext.UDP -> fromDatagram(packet);
            default -> Identification.UNKNOWN; // none of the applications this function knows
        };
    }

    private Identification fromStream(InspectedPacket packet) {
        boolean fromClient = packet.side() == PacketSide.ORIGINAL;
        StreamPrefix stream = fromClient ? client : server;
        if (stream == null) {
            return null;
        }
        long sequence = packet.tcpSequence();
        if (packet.has(InspectedPacket.SYN)) {
            sequence++; // the SYN takes a sequence number: data in it (TCP Fast Open) follows
            stream.anchor(sequence);
        }
        boolean grew = packet.payload().hasRemaining() && stream.add(sequence, packet.payload());
        if (!grew && !stream.full()) {
            return null;
        }
        Scan scan = fromClient
                ? Recognizers.clientStream(stream.bytes(), stream.contiguous())
                : Recognizers.serverStream(stream.bytes(), stream.contiguous());
        if (scan.outcome() == Scan.Outcome.MATCH) {
            return scan.identification();
        }
        if (scan.outcome() == Scan.Outcome.NEED_MORE && !stream.full()) {
            return null;
        }
        if (fromClient) {
            return Identification.UNKNOWN;
        }
        server = null; // the server's bytes are no SSH banner: the client's decide
        return null;
    }

    private Identification fromDatagram(InspectedPacket packet) {
        ByteBuffer payload = packet.payload();
        if (packet.side() != PacketSide.ORIGINAL || !payload.hasRemaining()) {
            return null;
        }
        int length = Math.min(payload.remaining(), policy.maxBytes());
        byte[] datagram = new byte[length];
        payload.get(payload.position(), datagram, 0, length);
        Scan scan = Recognizers.clientDatagram(datagram, length);
        return scan.outcome() == Scan.Outcome.MATCH ? scan.identification() : Identification.UNKNOWN;
    }

    private Verdict decide(Identification found, boolean alert) {
        identification = found;
        client = null;
        server = null;
        AppPolicy.Decision decision = policy.decide(found);
        verdict = decision.allowed() ? Verdict.PASS_AND_BYPASS : policy.denyVerdict();
        LOG.log(Level.DEBUG, () -> "flow " + flow.flowId() + ": " + found.describe() + " -> " + verdict
                + " (" + decision.reason() + ")");
        if (!decision.allowed() && alert) {
            alerts.alert(new Alert(decision.signature(), found.describe() + " from " + endpoint(true) + " to "
                    + endpoint(false) + " (VM " + flow.vmName() + ") denied by " + decision.reason(),
                    decision.severity(), true));
        }
        return verdict;
    }

    private String endpoint(boolean source) {
        return source
                ? flow.source().getHostAddress() + ":" + flow.sourcePort()
                : flow.destination().getHostAddress() + ":" + flow.destinationPort();
    }

    /** Carries the identification, or the bytes buffered so far: a new instance goes on where this one stopped. */
    @Override
    public Optional<SessionState> exportState() {
        return Optional.of(identification != null
                ? SessionCodec.encode(identification)
                : SessionCodec.encode(client, server));
    }
}
