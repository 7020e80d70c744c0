package io.ringfence.samples.appid;

import io.ringfence.spi.inspection.Alert;
import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectedPacket;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.Verdict;
import io.ringfence.spi.inspection.VnicDirection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Flows, profiles and packets as the framework hands them to a function. */
final class Flows {

    /** Initial sequence numbers: the client's wraps past 2^32 within its first 256 bytes. */
    static final long CLIENT_ISN = 0xFFFF_FF00L;
    static final long SERVER_ISN = 7_000;

    private Flows() {
    }

    static FlowContext flow(int protocol, int destinationPort) {
        try {
            return new FlowContext(42, "web-01-nic0", VnicDirection.OUT, "vm-web-01", "web-01", List.of("app:web"),
                    protocol, InetAddress.getByAddress(new byte[] {10, 0, 0, 1}), 40_000,
                    InetAddress.getByAddress(new byte[] {10, 0, 0, 2}), destinationPort);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static FlowContext tcp() {
        return flow(FlowContext.TCP, 443);
    }

    static FlowContext udp() {
        return flow(FlowContext.UDP, 53);
    }

    /** A profile of the given parameters: {@code name, value, name, value...}; absent ones take the schema's default. */
    static Profile profile(Object... parameters) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < parameters.length; i += 2) {
            values.put((String) parameters[i], parameters[i + 1]);
        }
        return new Profile("p1", "test profile", values);
    }

    static InspectedPacket packet(PacketSide side, int flags, long sequence, byte[] payload) {
        return new InspectedPacket(side, flags, sequence & 0xFFFF_FFFFL, 40 + payload.length,
                ByteBuffer.wrap(payload).asReadOnlyBuffer());
    }

    /** Collects a session's alerts. */
    static final class Alerts implements AlertSink {
        final List<Alert> received = new ArrayList<>();

        @Override
        public void alert(Alert alert) {
            received.add(alert);
        }
    }

    /** Drives one TCP flow through a session: handshake, then each side's bytes at given stream offsets. */
    static final class Tcp {
        private static final int ACK = 0x10;
        final InspectionSession session;
        private int clientNext;
        private int serverNext;

        Tcp(InspectionSession session) {
            this.session = session;
        }

        /** SYN, SYN-ACK, ACK: all pass. */
        Tcp handshake() {
            verdicts(session.inspect(packet(PacketSide.ORIGINAL, InspectedPacket.SYN, CLIENT_ISN, new byte[0])),
                    session.inspect(packet(PacketSide.REPLY, InspectedPacket.SYN | ACK, SERVER_ISN, new byte[0])),
                    session.inspect(packet(PacketSide.ORIGINAL, ACK, CLIENT_ISN + 1, new byte[0])));
            return this;
        }

        private static void verdicts(Verdict... verdicts) {
            for (Verdict v : verdicts) {
                if (v != Verdict.PASS) {
                    throw new AssertionError("a handshake packet got " + v);
                }
            }
        }

        /** The client's next bytes. */
        Verdict client(byte[] bytes) {
            Verdict v = client(clientNext, bytes);
            clientNext += bytes.length;
            return v;
        }

        /** Client bytes at stream offset {@code offset}. */
        Verdict client(int offset, byte[] bytes) {
            return session.inspect(packet(PacketSide.ORIGINAL, ACK, CLIENT_ISN + 1 + offset, bytes));
        }

        /** The server's next bytes. */
        Verdict server(byte[] bytes) {
            Verdict v = server(serverNext, bytes);
            serverNext += bytes.length;
            return v;
        }

        /** Server bytes at stream offset {@code offset}. */
        Verdict server(int offset, byte[] bytes) {
            return session.inspect(packet(PacketSide.REPLY, ACK, SERVER_ISN + 1 + offset, bytes));
        }
    }
}
