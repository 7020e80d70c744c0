package io.ringfence.dataplane.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Reject packets are written, parsed back (every checksum verified) and checked. */
class RejectPacketsTest {

    private static Packet tcp(String src, String dst, int flags, long seq, long ack, byte[] payload) {
        return Frames.packet(src, dst, Packet.TCP, 40000, 443, flags, seq, ack, 1000, -1, -1, 0, null, payload);
    }

    private static Packet roundTrip(Packet p) {
        Packet parsed = PacketParser.parseEthernet(PacketWriter.toEthernet(p, 1, 2));
        assertThat(parsed).usingRecursiveComparison().isEqualTo(p);
        return parsed;
    }

    @Test
    void resetForASegmentWithAckTakesItsAckAsSequence() {
        Packet offending = tcp("10.0.0.1", "10.0.0.2", Packet.ACK | Packet.PSH, 100, 5000, new byte[10]);

        Packet rst = roundTrip(RejectPackets.tcpReset(offending));

        assertThat(rst.source()).isEqualTo(offending.destination());
        assertThat(rst.destination()).isEqualTo(offending.source());
        assertThat(rst.sourcePort()).isEqualTo(443);
        assertThat(rst.destinationPort()).isEqualTo(40000);
        assertThat(rst.tcpFlags()).isEqualTo(Packet.RST);
        assertThat(rst.tcpSeq()).isEqualTo(5000);
        assertThat(rst.tcpAck()).isZero();
        assertThat(rst.payload()).isEmpty();
    }

    @Test
    void resetForASynAcknowledgesIt() {
        Packet syn = tcp("2001:db8::1", "2001:db8::2", Packet.SYN, 0xFFFF_FFFFL, 0, new byte[0]);

        Packet rst = roundTrip(RejectPackets.tcpReset(syn));

        assertThat(rst.tcpFlags()).isEqualTo(Packet.RST | Packet.ACK);
        assertThat(rst.tcpSeq()).isZero();
        assertThat(rst.tcpAck()).isZero(); // wraps around 2^32
        assertThat(rst.family()).isEqualTo(syn.family());
    }

    @Test
    void resetCountsPayloadSynAndFin() {
        Packet segment = tcp("10.0.0.1", "10.0.0.2", Packet.SYN | Packet.FIN, 1000, 0, new byte[7]);

        assertThat(RejectPackets.tcpReset(segment).tcpAck()).isEqualTo(1009);
    }

    @Test
    void resetsAreNotAnsweredAndOnlyTcpIsReset() {
        assertThatThrownBy(() -> RejectPackets.tcpReset(tcp("10.0.0.1", "10.0.0.2", Packet.RST, 1, 0, new byte[0])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RejectPackets.tcpReset(Frames.samples().get(2)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ipv4UnreachableQuotesTheHeaderAndEightBytes() {
        Packet offending = Frames.packet("10.0.0.1", "10.0.0.2", Packet.UDP, 5353, 53, 0, 0, 0, 0, -1, -1, 0, null,
                Frames.bytes(100, 1));
        byte[] bytes = Frames.withIpv4Options(PacketWriter.toIp(offending), new byte[] {1, 1, 1, 0});

        Packet icmp = roundTrip(RejectPackets.unreachable(offending, bytes));

        assertThat(icmp.protocol()).isEqualTo(Packet.ICMP);
        assertThat(icmp.icmpType()).isEqualTo(3);
        assertThat(icmp.icmpCode()).isEqualTo(13);
        assertThat(icmp.source()).isEqualTo(offending.destination());
        assertThat(icmp.destination()).isEqualTo(offending.source());
        assertThat(icmp.payload()).isEqualTo(Arrays.copyOf(bytes, 24 + 8));
        assertThat(icmp.length()).isEqualTo(20 + 8 + 32);
        Packet embedded = icmp.embedded();
        assertThat(embedded.source()).isEqualTo(offending.source());
        assertThat(embedded.destination()).isEqualTo(offending.destination());
        assertThat(embedded.protocol()).isEqualTo(Packet.UDP);
        assertThat(embedded.sourcePort()).isEqualTo(5353);
        assertThat(embedded.destinationPort()).isEqualTo(53);
        assertThat(embedded.length()).isEqualTo(bytes.length);
    }

    @Test
    void ipv6UnreachableQuotesAsMuchAsFitsIn1280Bytes() {
        Packet offending = tcp("2001:db8::1", "2001:db8::2", Packet.ACK, 1, 2, Frames.bytes(1400, 4));
        byte[] bytes = PacketWriter.toIp(offending);

        Packet icmp = roundTrip(RejectPackets.unreachable(offending, bytes));

        assertThat(icmp.protocol()).isEqualTo(Packet.ICMPV6);
        assertThat(icmp.icmpType()).isEqualTo(1);
        assertThat(icmp.icmpCode()).isEqualTo(1);
        assertThat(icmp.length()).isEqualTo(1280);
        assertThat(icmp.payload()).isEqualTo(Arrays.copyOf(bytes, 1280 - 48));
        assertThat(icmp.embedded().sourcePort()).isEqualTo(40000);
        assertThat(icmp.embedded().destinationPort()).isEqualTo(443);
        assertThat(icmp.embedded().tcpFlags()).isEqualTo(Packet.ACK);
        assertThat(icmp.embedded().length()).isEqualTo(bytes.length);
    }

    @Test
    void smallIpv6PacketIsQuotedWhole() {
        Packet offending = Frames.samples().get(11);
        byte[] bytes = PacketWriter.toIp(offending);

        Packet icmp = roundTrip(RejectPackets.unreachable(offending, bytes));

        assertThat(icmp.payload()).isEqualTo(bytes);
        assertThat(icmp.embedded().icmpId()).isEqualTo(offending.icmpId());
    }

    @Test
    void errorsAreNotAnsweredWithErrors() {
        Packet offending = Frames.samples().get(2);
        Packet error = RejectPackets.unreachable(offending, PacketWriter.toIp(offending));

        assertThatThrownBy(() -> RejectPackets.unreachable(error, PacketWriter.toIp(error)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
