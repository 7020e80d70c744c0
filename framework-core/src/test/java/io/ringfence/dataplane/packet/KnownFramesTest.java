package io.ringfence.dataplane.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Frames laid out byte by byte, with checksums computed independently of {@link Checksums}. */
class KnownFramesTest {

    /** 10.0.0.1:12345 -> 10.0.0.2:80, SYN with an MSS option, as a capture would show it. */
    static byte[] tcpSyn() {
        return hex(
                // Ethernet: destination, source, IPv4
                "0200 0000 0002  0200 0000 0001  0800"
                        // IPv4: version 4 IHL 5, TOS 0, total 44, id 0x1c46, DF, TTL 64, TCP, checksum 0x0a84
                        + "4500 002c 1c46 4000 4006 0a84 0a00 0001 0a00 0002"
                        // TCP: ports, seq 0x01020304, ack 0, data offset 6, SYN, window 64240, checksum 0x54a4, urg 0
                        + "3039 0050 0102 0304 0000 0000 6002 faf0 54a4 0000"
                        // MSS 1460
                        + "0204 05b4");
    }

    /** 2001:db8::1:5353 -> 2001:db8::2:53, UDP carrying "hello". */
    static byte[] udpV6() {
        return hex("0200 0000 0002  0200 0000 0001  86dd"
                + "6000 0000 000d 1140"
                + "2001 0db8 0000 0000 0000 0000 0000 0001"
                + "2001 0db8 0000 0000 0000 0000 0000 0002"
                + "14e9 0035 000d 4b6f 6865 6c6c 6f");
    }

    /** 192.168.0.10 -> 192.168.0.1 echo request id 0x1234 seq 1 "ping", on VLAN 42, TTL 128. */
    static byte[] vlanEchoRequest() {
        return hex("0200 0000 0002  0200 0000 0001  8100 002a  0800"
                + "4500 0020 abcd 0000 8001 0db4 c0a8 000a c0a8 0001"
                + "0800 06fa 1234 0001 7069 6e67");
    }

    @Test
    void vlanTaggedEchoRequest_parses() {
        Packet p = PacketParser.parseEthernet(vlanEchoRequest());

        assertThat(p.source()).isEqualTo(IpPrefix.parse("192.168.0.10"));
        assertThat(p.destination()).isEqualTo(IpPrefix.parse("192.168.0.1"));
        assertThat(p.protocol()).isEqualTo(Packet.ICMP);
        assertThat(p.icmpType()).isEqualTo(8);
        assertThat(p.icmpCode()).isZero();
        assertThat(p.icmpId()).isEqualTo(0x1234);
        assertThat(p.sourcePort()).isZero();
        assertThat(p.ttl()).isEqualTo(128);
        assertThat(p.length()).isEqualTo(32);
        assertThat(new String(p.payload(), StandardCharsets.US_ASCII)).isEqualTo("ping");
        assertThat(p.embedded()).isNull();
    }

    @Test
    void tcpSyn_parsesWithOptionsSkipped() {
        Packet p = PacketParser.parseEthernet(tcpSyn());

        assertThat(p.family()).isEqualTo(IpFamily.IPV4);
        assertThat(p.source()).isEqualTo(IpPrefix.parse("10.0.0.1"));
        assertThat(p.destination()).isEqualTo(IpPrefix.parse("10.0.0.2"));
        assertThat(p.protocol()).isEqualTo(Packet.TCP);
        assertThat(p.sourcePort()).isEqualTo(12345);
        assertThat(p.destinationPort()).isEqualTo(80);
        assertThat(p.tcpFlags()).isEqualTo(Packet.SYN);
        assertThat(p.tcpSeq()).isEqualTo(0x01020304L);
        assertThat(p.tcpAck()).isZero();
        assertThat(p.tcpWindow()).isEqualTo(64240);
        assertThat(p.ttl()).isEqualTo(64);
        assertThat(p.length()).isEqualTo(44);
        assertThat(p.payload()).isEmpty();
        assertThat(p.icmpType()).isEqualTo(-1);
        assertThat(p.embedded()).isNull();
    }

    @Test
    void udpOverIpv6_parses() {
        Packet p = PacketParser.parseEthernet(udpV6());

        assertThat(p.family()).isEqualTo(IpFamily.IPV6);
        assertThat(p.source()).isEqualTo(IpPrefix.parse("2001:db8::1"));
        assertThat(p.destination()).isEqualTo(IpPrefix.parse("2001:db8::2"));
        assertThat(p.protocol()).isEqualTo(Packet.UDP);
        assertThat(p.sourcePort()).isEqualTo(5353);
        assertThat(p.destinationPort()).isEqualTo(53);
        assertThat(p.ttl()).isEqualTo(64);
        assertThat(p.length()).isEqualTo(53);
        assertThat(new String(p.payload(), StandardCharsets.US_ASCII)).isEqualTo("hello");
    }

    @Test
    void writerProducesTheSameUdpV6Frame() {
        Packet p = PacketParser.parseEthernet(udpV6());

        assertThat(PacketWriter.toEthernet(p, 0x020000000001L, 0x020000000002L)).isEqualTo(udpV6());
    }

    static byte[] hex(String s) {
        String h = s.replace(" ", "");
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
