package io.ringfence.samples.ids;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.ringfence.spi.inspection.Alert;
import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectedPacket;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.VnicDirection;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Flows, packets and profiles as the framework would hand them to the IDS. */
final class Flows {

    static final int ACK = 0x10;

    private Flows() {
    }

    static FlowContext tcp(int destinationPort) {
        return flow(FlowContext.TCP, destinationPort);
    }

    static FlowContext udp(int destinationPort) {
        return flow(FlowContext.UDP, destinationPort);
    }

    static FlowContext flow(int protocol, int destinationPort) {
        return new FlowContext(7, "web-01-nic0", VnicDirection.IN, "vm-1", "web-01", List.of("app:web"), protocol,
                InetAddress.getLoopbackAddress(), 49152, InetAddress.getLoopbackAddress(), destinationPort);
    }

    /** A TCP segment from the initiator. */
    static InspectedPacket segment(long sequence, String payload) {
        return segment(PacketSide.ORIGINAL, ACK, sequence, payload);
    }

    static InspectedPacket segment(PacketSide side, int flags, long sequence, String payload) {
        byte[] bytes = payload.getBytes(ISO_8859_1);
        // the payload sits inside a larger buffer, as it would in a packet: position and limit matter
        ByteBuffer packet = ByteBuffer.allocate(bytes.length + 60);
        packet.position(40).put(bytes).flip().position(40);
        return new InspectedPacket(side, flags, sequence & 0xFFFF_FFFFL, bytes.length + 40, packet.asReadOnlyBuffer());
    }

    static InspectedPacket datagram(PacketSide side, String payload) {
        return new InspectedPacket(side, 0, 0, payload.length() + 28,
                ByteBuffer.wrap(payload.getBytes(ISO_8859_1)).asReadOnlyBuffer());
    }

    /** A profile of only {@code rules}, in prevent mode unless overridden by {@code more} (name, value pairs). */
    static Profile profile(List<String> rules, Object... more) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(IdsSettings.BUILT_IN_RULES, false);
        values.put(IdsSettings.RULES, rules);
        for (int i = 0; i < more.length; i += 2) {
            values.put((String) more[i], more[i + 1]);
        }
        return new Profile("strict", "Strict", values);
    }

    /** Alerts as the framework would keep them. */
    static final class RecordingAlerts implements AlertSink {
        final List<Alert> alerts = new ArrayList<>();

        @Override
        public void alert(Alert alert) {
            alerts.add(alert);
        }
    }
}
