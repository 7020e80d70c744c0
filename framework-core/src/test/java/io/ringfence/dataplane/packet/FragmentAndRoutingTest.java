package io.ringfence.dataplane.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.net.IpPrefix;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FragmentAndRoutingTest {

    private static final Packet TCP4 = Frames.samples().get(1);
    private static final Packet TCP6 = Frames.samples().get(9);

    @Test
    void laterIpv4FragmentHasNoTransportHeader() {
        byte[] ip = PacketWriter.toIp(TCP4);
        Bytes.put16(ip, 6, 185); // offset 1480 bytes, last fragment
        Frames.fixIpv4Checksum(ip, 0);

        Packet p = PacketParser.parseIp(ip, 0, ip.length);

        assertThat(p.protocol()).isEqualTo(Packet.TCP);
        assertThat(p.sourcePort()).isZero();
        assertThat(p.destinationPort()).isZero();
        assertThat(p.tcpFlags()).isZero();
        assertThat(p.icmpType()).isEqualTo(-1);
        assertThat(p.payload()).isEmpty();
        assertThat(p.length()).isEqualTo(ip.length);
    }

    @Test
    void firstIpv4FragmentKeepsPortsThoughItsChecksumCannotBeVerified() {
        byte[] ip = PacketWriter.toIp(TCP4);
        Bytes.put16(ip, 6, 0x2000); // more fragments, offset 0
        Frames.fixIpv4Checksum(ip, 0);
        ip[ip.length - 1] ^= 1; // the checksum covers the whole datagram, so this goes unseen

        Packet p = PacketParser.parseIp(ip, 0, ip.length);

        assertThat(p.sourcePort()).isEqualTo(TCP4.sourcePort());
        assertThat(p.destinationPort()).isEqualTo(TCP4.destinationPort());
        assertThat(p.tcpFlags()).isEqualTo(TCP4.tcpFlags());
        assertThat(p.payload()).hasSize(TCP4.payload().length);
    }

    @Test
    void ipv6FragmentHeader() {
        byte[] first = Frames.withIpv6Extension(PacketWriter.toIp(TCP6), Ipv6Extensions.FRAGMENT, 8, 0x0001);
        first[first.length - 1] ^= 1;
        byte[] later = Frames.withIpv6Extension(PacketWriter.toIp(TCP6), Ipv6Extensions.FRAGMENT, 8, 0x0008);

        Packet p1 = PacketParser.parseIp(first, 0, first.length);
        Packet p2 = PacketParser.parseIp(later, 0, later.length);

        assertThat(p1.destinationPort()).isEqualTo(TCP6.destinationPort());
        assertThat(p2.protocol()).isEqualTo(Packet.TCP);
        assertThat(p2.destinationPort()).isZero();
        assertThat(p2.payload()).isEmpty();
    }

    @Test
    void segmentRoutingHeaderNamesTheDestinationOfThePseudoHeader() {
        // the sender computes the checksum to the final destination, while the header names the next segment
        IpPrefix next = IpPrefix.parse("2001:db8:1::9");
        byte[] ip = Frames.withIpv6Extension(PacketWriter.toIp(TCP6), Ipv6Extensions.ROUTING, 40, 0);
        ip[42] = 4; // segment routing header
        ip[43] = 1; // segments left
        Bytes.put64(ip, 48, TCP6.destination().high());
        Bytes.put64(ip, 56, TCP6.destination().low());
        Bytes.put64(ip, 64, next.high());
        Bytes.put64(ip, 72, next.low());
        Bytes.put64(ip, 24, next.high());
        Bytes.put64(ip, 32, next.low());

        Packet p = PacketParser.parseIp(ip, 0, ip.length);

        assertThat(p.destination()).isEqualTo(next);
        assertThat(p.destinationPort()).isEqualTo(TCP6.destinationPort());
    }

    @Test
    void icmpTimeExceededCarriesTheQuotedHeader() {
        byte[] quoted = Arrays.copyOf(PacketWriter.toIp(TCP4), 28);
        Packet error = Frames.packet("172.16.0.1", TCP4.source().toString(), Packet.ICMP, 0, 0, 0, 0, 0, 0, 11, 0, 0,
                null, quoted);

        Packet p = PacketParser.parseEthernet(PacketWriter.toEthernet(error, 1, 2));

        assertThat(p.icmpType()).isEqualTo(11);
        assertThat(p.embedded().source()).isEqualTo(TCP4.source());
        assertThat(p.embedded().destination()).isEqualTo(TCP4.destination());
        assertThat(p.embedded().protocol()).isEqualTo(Packet.TCP);
        assertThat(p.embedded().sourcePort()).isEqualTo(TCP4.sourcePort());
        assertThat(p.embedded().destinationPort()).isEqualTo(TCP4.destinationPort());
        assertThat(p.embedded().tcpSeq()).isEqualTo(TCP4.tcpSeq());
        assertThat(p.embedded().length()).isEqualTo(TCP4.length());
    }

    @Test
    void quotedEchoRequestKeepsItsIdentifier() {
        Packet echo = Frames.samples().get(11);
        byte[] quoted = PacketWriter.toIp(echo);
        Packet error = Frames.packet("2001:db8::ff", echo.source().toString(), Packet.ICMPV6, 0, 0, 0, 0, 0, 0, 3, 0,
                0, null, quoted);

        Packet p = PacketParser.parseEthernet(PacketWriter.toEthernet(error, 1, 2));

        assertThat(p.embedded().icmpType()).isEqualTo(128);
        assertThat(p.embedded().icmpId()).isEqualTo(echo.icmpId());
    }
}
