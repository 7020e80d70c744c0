package io.ringfence.dataplane.steering;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import io.ringfence.model.Vm;
import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectedPacket;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.VnicDirection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;

/** Flows and packets of the data plane as partner functions see them (the SPI's types). */
final class PartnerViews {

    private PartnerViews() {
    }

    /**
     * The flow {@code opening} opens at {@code vnicId}, owned by {@code vm}: its 5-tuple from the
     * initiator's side (the opening packet's), ports 0 for protocols without ports (an ICMP echo's
     * identifier is not a port). A VM the steering's model does not know yet (a flow racing its VM's
     * creation) is named with empty strings.
     */
    static FlowContext flow(long flowId, String vnicId, Direction direction, Vm vm, Packet opening) {
        boolean ports = opening.isTcp() || opening.isUdp();
        return new FlowContext(flowId, vnicId, direction == Direction.IN ? VnicDirection.IN : VnicDirection.OUT,
                vm == null ? "" : vm.id(), vm == null ? "" : vm.name(), vm == null ? List.of() : vm.tags(),
                opening.protocol(), address(opening.source()), ports ? opening.sourcePort() : 0,
                address(opening.destination()), ports ? opening.destinationPort() : 0);
    }

    /**
     * The packet as a function sees it: a read-only view of its payload, which the data plane never
     * overwrites (a {@link Packet}'s payload is its own), so that a call abandoned at its deadline may
     * still read it.
     */
    static InspectedPacket packet(Packet p, PacketSide side) {
        return new InspectedPacket(side, p.tcpFlags(), p.tcpSeq(), p.length(),
                ByteBuffer.wrap(p.payload()).asReadOnlyBuffer());
    }

    private static InetAddress address(IpPrefix host) {
        boolean v4 = host.family() == IpFamily.IPV4;
        byte[] bytes = new byte[v4 ? 4 : 16];
        long high = host.high();
        long low = host.low();
        for (int i = 0; i < bytes.length; i++) {
            int fromEnd = bytes.length - 1 - i;
            bytes[i] = (byte) (fromEnd < 8 ? low >>> (8 * fromEnd) : high >>> (8 * (fromEnd - 8)));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are an address", e);
        }
    }
}
