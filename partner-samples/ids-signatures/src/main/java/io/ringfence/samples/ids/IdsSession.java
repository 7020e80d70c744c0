package io.ringfence.samples.ids;

import io.ringfence.samples.ids.signature.Action;
import io.ringfence.samples.ids.signature.Signature;
import io.ringfence.samples.ids.signature.SignatureSet;
import io.ringfence.samples.ids.signature.StreamMatcher;
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
import java.util.BitSet;
import java.util.Optional;

/**
 * The inspection of one flow: each side's payload is matched as one stream (TCP) or datagram by
 * datagram (other protocols) against the signatures that apply to the flow's protocol and port.
 * A signature is reported once per flow. A drop signature in prevent mode blocks the flow: the
 * matching packet and every later one get the profile's block verdict. When no signature is left
 * to look for, the session asks to be bypassed.
 *
 * <p>The framework never calls a session concurrently with itself, so its state is plain fields.
 */
final class IdsSession implements InspectionSession, StreamMatcher.Listener {

    /** Alerts are logged here too, so that they show without the framework's alert API. */
    private static final System.Logger LOG = System.getLogger("io.ringfence.samples.ids");

    private final FlowContext flow;
    private final String profileId;
    private final IdsSettings settings;
    private final SignatureSet signatures;
    private final AlertSink alerts;
    private final BitSet armed;
    private final boolean streams;
    private final SideStream original;
    private final SideStream reply;
    private Verdict blocked;

    IdsSession(FlowContext flow, String profileId, IdsSettings settings, SignatureSet signatures, AlertSink alerts) {
        this.flow = flow;
        this.profileId = profileId;
        this.settings = settings;
        this.signatures = signatures;
        this.alerts = alerts;
        this.armed = signatures.applicableTo(flow.protocol(), flow.destinationPort());
        this.streams = flow.protocol() == FlowContext.TCP;
        this.original = new SideStream(new StreamMatcher(signatures, armed));
        this.reply = new SideStream(new StreamMatcher(signatures, armed));
    }

    @Override
    public Verdict inspect(InspectedPacket packet) {
        if (blocked != null) {
            return blocked;
        }
        if (armed.isEmpty()) {
            return Verdict.PASS_AND_BYPASS;
        }
        SideStream side = packet.side() == PacketSide.ORIGINAL ? original : reply;
        ByteBuffer payload = packet.payload();
        int from = payload == null ? 0 : payload.position();
        int to = payload == null ? 0 : payload.limit();
        if (streams) {
            from = side.newBytesFrom(packet, from, to);
        } else {
            side.matcher.reset();
        }
        if (from < to) {
            side.matcher.scan(payload, from, to, this);
        }
        if (blocked != null) {
            return blocked;
        }
        return armed.isEmpty() ? Verdict.PASS_AND_BYPASS : Verdict.PASS;
    }

    /** A signature matched: report it, and block the flow if it is a drop rule and the profile prevents. */
    @Override
    public boolean matched(int rule) {
        Signature s = signatures.signature(rule);
        boolean block = s.action() == Action.DROP && settings.prevent();
        alerts.alert(new Alert(Integer.toString(s.id()), s.message(), s.severity(), block));
        LOG.log(block ? Level.WARNING : Level.INFO, () -> String.format(
                "ids-signatures: %s signature %d (%s) on flow %d %s %s:%d -> %s:%d at vNIC %s %s of VM %s, profile %s",
                block ? "blocked by" : "alert,", s.id(), s.message(), flow.flowId(), protocolName(flow.protocol()),
                flow.source().getHostAddress(), flow.sourcePort(), flow.destination().getHostAddress(),
                flow.destinationPort(), flow.vnicId(), flow.direction(), flow.vmName(), profileId));
        if (block) {
            blocked = settings.blockVerdict();
            return false;
        }
        return true;
    }

    @Override
    public Optional<SessionState> exportState() {
        return Optional.of(SessionStateFormat.write(this));
    }

    SignatureSet signatures() {
        return signatures;
    }

    FlowContext flow() {
        return flow;
    }

    /** The verdict every packet of the flow gets since it was blocked, or null. */
    Verdict blocked() {
        return blocked;
    }

    /** The signatures still looked for in this flow (cleared once found). */
    BitSet armed() {
        return armed;
    }

    SideStream side(PacketSide side) {
        return side == PacketSide.ORIGINAL ? original : reply;
    }

    /** Takes over the block of an exported session. */
    void restoreBlocked(Verdict verdict) {
        blocked = verdict;
    }

    private static String protocolName(int protocol) {
        return switch (protocol) {
            case FlowContext.TCP -> "TCP";
            case FlowContext.UDP -> "UDP";
            default -> "protocol " + protocol;
        };
    }
}
