package io.ringfence.dataplane.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The zero-allocation form of parsing: one view, refilled frame after frame, reads as a fresh parse. */
class PacketViewTest {

    /** The samples, a later fragment, an ICMP error quoting a packet, and an IPv6 routed packet. */
    private static List<byte[]> frames() {
        List<byte[]> frames = new ArrayList<>();
        for (Packet p : Frames.samples()) {
            frames.add(PacketWriter.toEthernet(p, Frames.SRC_MAC, Frames.DST_MAC));
        }
        Packet tcp = Frames.samples().get(1);
        frames.add(PacketWriter.toEthernet(RejectPackets.unreachable(tcp, PacketWriter.toIp(tcp)), Frames.SRC_MAC,
                Frames.DST_MAC));
        Packet tcp6 = Frames.samples().get(9);
        frames.add(Frames.ethernet(Frames.withIpv6Extension(PacketWriter.toIp(tcp6), Ipv6Extensions.FRAGMENT, 8,
                0x0008), false));
        frames.add(Frames.ethernet(Frames.withIpv6Extension(PacketWriter.toIp(tcp6), Ipv6Extensions.ROUTING, 24, 0),
                false));
        return frames;
    }

    @Test
    void aReusedViewReadsEachFrameAsAFreshParse() {
        List<byte[]> frames = frames();
        PacketView view = new PacketView();
        // every frame after every other one, so that no field of the previous frame survives
        for (byte[] previous : frames) {
            for (byte[] frame : frames) {
                PacketParser.parseEthernet(previous, view);
                PacketParser.parseEthernet(frame, view);
                Packet fresh = PacketParser.parseEthernet(frame);

                assertThat(view.toPacket()).usingRecursiveComparison().isEqualTo(fresh);
                assertThat(view.sourceLow()).isEqualTo(fresh.source().low());
                assertThat(view.sourceHigh()).isEqualTo(fresh.source().high());
                assertThat(view.destinationLow()).isEqualTo(fresh.destination().low());
                assertThat(view.destinationHigh()).isEqualTo(fresh.destination().high());
                assertThat(view.length()).isEqualTo(fresh.length());
                assertThat(view.tcpFlags()).isEqualTo(fresh.tcpFlags());
                assertThat(view.icmpId()).isEqualTo(fresh.icmpId());
            }
        }
    }

    @Test
    void aViewRefusesWhatThePacketParserRefuses() {
        byte[] frame = PacketWriter.toEthernet(Frames.samples().get(0), Frames.SRC_MAC, Frames.DST_MAC);
        frame[frame.length - 1] ^= 1; // breaks the TCP checksum
        PacketView view = new PacketView();

        assertThatThrownBy(() -> PacketParser.parseEthernet(frame, view))
                .isInstanceOf(MalformedPacketException.class).hasMessage("bad TCP checksum");
        assertThatThrownBy(() -> PacketParser.parseEthernet(frame))
                .isInstanceOf(MalformedPacketException.class).hasMessage("bad TCP checksum");
    }

    @Test
    void theViewPayloadIsACopy() {
        Packet udp = Frames.samples().get(2);
        byte[] frame = PacketWriter.toEthernet(udp, Frames.SRC_MAC, Frames.DST_MAC);
        PacketView view = new PacketView();
        PacketParser.parseEthernet(frame, view);

        Packet p = view.toPacket();
        frame[frame.length - 1] ^= 0x55;

        assertThat(p.payload()).isEqualTo(udp.payload());
    }
}
