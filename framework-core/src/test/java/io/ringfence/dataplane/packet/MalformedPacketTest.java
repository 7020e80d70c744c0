package io.ringfence.dataplane.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.ringfence.net.IpFamily;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every defect surfaces as a {@link MalformedPacketException} with a reason, never as another exception. */
class MalformedPacketTest {

    private static final Packet TCP4 = Frames.samples().get(1);
    private static final Packet UDP4 = Frames.samples().get(2);
    private static final Packet ICMP4 = Frames.samples().get(4);
    private static final Packet TCP6 = Frames.samples().get(9);
    private static final Packet UDP6 = Frames.samples().get(10);
    private static final Packet ICMP6 = Frames.samples().get(11);

    /** Valid frames of every shape: samples, tagged, with options and extension headers, hand-built, ICMP errors. */
    static List<byte[]> validFrames() {
        List<byte[]> frames = new ArrayList<>();
        for (Packet p : Frames.samples()) {
            byte[] frame = PacketWriter.toEthernet(p, Frames.SRC_MAC, Frames.DST_MAC);
            frames.add(frame);
            frames.add(Frames.withVlan(Frames.withVlan(frame, 0x8100, 5), 0x88A8, 6));
            byte[] ip = PacketWriter.toIp(p);
            if (p.family() == IpFamily.IPV4) {
                frames.add(Frames.ethernet(Frames.withIpv4Options(ip, new byte[] {1, 1, 1, 0}), true));
            } else {
                byte[] ext = Frames.withIpv6Extension(ip, Ipv6Extensions.DESTINATION_OPTIONS, 8, 0);
                frames.add(Frames.ethernet(Frames.withIpv6Extension(ext, Ipv6Extensions.HOP_BY_HOP, 16, 0), false));
            }
        }
        frames.add(KnownFramesTest.tcpSyn());
        frames.add(KnownFramesTest.udpV6());
        frames.add(KnownFramesTest.vlanEchoRequest());
        for (Packet p : List.of(TCP4, UDP4, TCP6, UDP6)) {
            Packet reject = RejectPackets.unreachable(p, PacketWriter.toIp(p));
            frames.add(PacketWriter.toEthernet(reject, Frames.SRC_MAC, Frames.DST_MAC));
        }
        return frames;
    }

    @Test
    void everyTruncationIsMalformed() {
        for (byte[] frame : validFrames()) {
            PacketParser.parseEthernet(frame);
            for (int length = 0; length < frame.length; length++) {
                byte[] cut = Arrays.copyOf(frame, length);
                assertThatThrownBy(() -> PacketParser.parseEthernet(cut))
                        .as("frame cut to %d of %d bytes", length, frame.length)
                        .isInstanceOf(MalformedPacketException.class);
            }
        }
    }

    @Test
    void everySingleByteCorruptionOfAChecksummedRegionIsDetected() {
        Random random = new Random(42);
        for (Packet p : List.of(TCP4, UDP4, ICMP4, TCP6, UDP6, ICMP6, Frames.samples().get(0),
                Frames.samples().get(8), Frames.samples().get(12))) {
            byte[] ip = PacketWriter.toIp(p);
            boolean v4 = p.family() == IpFamily.IPV4;
            for (int i = 0; i < ip.length; i++) {
                // IPv6 has no header checksum: version, traffic class, flow label, next header and hop
                // limit are covered by nothing (the next header only through the protocol's checksum)
                if (!v4 && (i < 4 || i == 6 || i == 7)) {
                    continue;
                }
                for (int mask : new int[] {0x01, 0x80, 0xFF, 1 + random.nextInt(255)}) {
                    byte[] bad = Frames.copy(ip);
                    bad[i] ^= (byte) mask;
                    if (v4 && p.isUdp() && Bytes.u16(bad, 26) == 0) {
                        continue; // a zero UDP checksum over IPv4 legitimately means "none"
                    }
                    try {
                        PacketParser.parseIp(bad, 0, bad.length);
                        fail("corrupting byte %d of %s with 0x%02x went unnoticed", i, p, mask);
                    } catch (MalformedPacketException expected) {
                        // detected
                    }
                }
            }
        }
    }

    @Test
    void ethernetLayer() {
        byte[] frame = frame(TCP4);
        Bytes.put16(frame, 12, 0x0806);
        assertMalformed(frame, "unknown ethertype 0x0806");

        byte[] tripleTagged = Frames.withVlan(Frames.withVlan(Frames.withVlan(frame(TCP4), 0x8100, 1), 0x8100, 2),
                0x88A8, 3);
        assertMalformed(tripleTagged, "more than 2 VLAN tags");

        byte[] v6InV4 = frame(TCP6);
        Bytes.put16(v6InV4, 12, 0x0800);
        assertMalformed(v6InV4, "IP version 6 where IPv4 was expected");

        assertThatThrownBy(() -> PacketParser.parseEthernet(null)).isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void parseIpRejectsBadRegionsAndVersions() {
        byte[] ip = PacketWriter.toIp(TCP4);
        assertThatThrownBy(() -> PacketParser.parseIp(ip, 1, ip.length)).isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("outside the buffer");
        assertThatThrownBy(() -> PacketParser.parseIp(ip, -1, 4)).isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> PacketParser.parseIp(ip, 0, -1)).isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> PacketParser.parseIp(null, 0, 0)).isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> PacketParser.parseIp(ip, Integer.MAX_VALUE, 2))
                .isInstanceOf(MalformedPacketException.class);
        ip[0] = 0x55;
        assertThatThrownBy(() -> PacketParser.parseIp(ip, 0, ip.length)).hasMessage("IP version 5");
    }

    @Test
    void ipv4HeaderDefects() {
        assertMalformedIp(v4(TCP4, b -> b[0] = 0x44), "IPv4 header length 16 is below 20");
        assertMalformedIp(v4(TCP4, b -> Bytes.put16(b, 2, 19)), "below the header length");
        assertMalformedIp(v4(TCP4, b -> Bytes.put16(b, 2, b.length + 1)), "truncated IPv4 packet");
        assertMalformedIp(v4(TCP4, b -> Bytes.put16(b, 6, 0x8000)), "IPv4 reserved flag set");
        assertMalformedIp(v4(TCP4, b -> Bytes.put16(b, 6, 0x1FFF)), "IPv4 fragment ends beyond 65535 bytes");
        assertMalformedIp(v4(TCP4, b -> Bytes.put16(b, 6, 1)), "TCP fragment at offset 8 overlaps the TCP header");
        byte[] tinyFirst = v4(TCP4, b -> Bytes.put16(b, 6, 0x2000));
        Bytes.put16(tinyFirst, 2, 36);
        Frames.fixIpv4Checksum(tinyFirst, 0);
        assertMalformedIp(tinyFirst, "truncated TCP header");
        byte[] looseSourceRoute = {(byte) 131, 7, 4, 10, 0, 0, 9, 0};
        byte[] sourceRoute = Frames.withIpv4Options(PacketWriter.toIp(TCP4), looseSourceRoute);
        assertMalformedIp(sourceRoute, "IPv4 source route option");
        byte[] badOption = Frames.withIpv4Options(PacketWriter.toIp(TCP4), new byte[] {1, 7, 9, 0});
        assertMalformedIp(badOption, "IPv4 option 7 has a bad length");
        byte[] shortOption = Frames.withIpv4Options(PacketWriter.toIp(TCP4), new byte[] {1, 1, 1, 68});
        assertMalformedIp(shortOption, "IPv4 option 68 has a bad length");
        byte[] badSum = PacketWriter.toIp(TCP4);
        badSum[10] ^= 1;
        assertMalformedIp(badSum, "bad IPv4 header checksum");
    }

    @Test
    void transportDefects() {
        assertMalformedIp(v4(TCP4, b -> b[32] = 0x40), "TCP data offset 16 is below 20");
        assertMalformedIp(v4(withoutPayload(TCP4), b -> b[32] = (byte) 0xF0), "truncated TCP header with options");
        assertMalformedIp(corruptLast(PacketWriter.toIp(TCP4)), "bad TCP checksum");
        assertMalformedIp(corruptLast(PacketWriter.toIp(TCP6)), "bad TCP checksum");
        assertMalformedIp(corruptLast(PacketWriter.toIp(UDP4)), "bad UDP checksum");
        assertMalformedIp(corruptLast(PacketWriter.toIp(UDP6)), "bad UDP checksum");
        assertMalformedIp(corruptLast(PacketWriter.toIp(ICMP4)), "bad ICMP checksum");
        assertMalformedIp(corruptLast(PacketWriter.toIp(ICMP6)), "bad ICMPv6 checksum");
        assertMalformedIp(v4(UDP4, b -> Bytes.put16(b, 24, Bytes.u16(b, 24) - 1)), "UDP length 40 differs");
        assertMalformedIp(v4(UDP4, b -> Bytes.put16(b, 24, Bytes.u16(b, 24) + 1)), "UDP length 42 differs");
        byte[] noSum6 = PacketWriter.toIp(UDP6);
        Bytes.put16(noSum6, 46, 0);
        assertMalformedIp(noSum6, "zero UDP checksum over IPv6");
        byte[] shortIcmp = v4(withoutPayload(ICMP4), b -> { });
        Bytes.put16(shortIcmp, 2, 24);
        Frames.fixIpv4Checksum(shortIcmp, 0);
        assertMalformedIp(shortIcmp, "truncated ICMP header");
    }

    @Test
    void zeroUdpChecksumOverIpv4MeansNone() {
        byte[] ip = PacketWriter.toIp(UDP4);
        Bytes.put16(ip, 26, 0);
        ip[ip.length - 1] ^= 1;

        assertThat(PacketParser.parseIp(ip, 0, ip.length).destinationPort())
                .isEqualTo(53);
    }

    @Test
    void ipv6ExtensionDefects() {
        byte[] ip = PacketWriter.toIp(TCP6);
        for (int i = 0; i < 9; i++) {
            ip = Frames.withIpv6Extension(ip, Ipv6Extensions.DESTINATION_OPTIONS, 8, 0);
        }
        assertMalformedIp(ip, "more than 8 IPv6 extension headers");

        byte[] late = Frames.withIpv6Extension(PacketWriter.toIp(TCP6), Ipv6Extensions.HOP_BY_HOP, 8, 0);
        late = Frames.withIpv6Extension(late, Ipv6Extensions.DESTINATION_OPTIONS, 8, 0);
        assertMalformedIp(late, "IPv6 hop-by-hop options header not first");

        byte[] routing = Frames.withIpv6Extension(PacketWriter.toIp(TCP6), Ipv6Extensions.ROUTING, 24, 0);
        routing[42] = 3;
        routing[43] = 1;
        assertMalformedIp(routing, "IPv6 routing header type 3 with segments left is not supported");
        routing[42] = 0;
        assertMalformedIp(routing, "IPv6 routing header type 0 with segments left is not supported");

        byte[] longExt = Frames.withIpv6Extension(PacketWriter.toIp(withoutPayload(TCP6)),
                Ipv6Extensions.DESTINATION_OPTIONS, 8, 0);
        longExt[41] = 9;
        assertMalformedIp(longExt, "truncated IPv6 extension header 60");

        byte[] v6 = PacketWriter.toIp(TCP6);
        Bytes.put16(v6, 4, Bytes.u16(v6, 4) + 1);
        assertMalformedIp(v6, "truncated IPv6 packet");
    }

    @Test
    void icmpErrorQuotes() {
        byte[] tooShort = PacketWriter.toIp(Frames.packet("10.0.0.1", "10.0.0.2", Packet.ICMP, 0, 0, 0, 0, 0, 0,
                3, 1, 0, null, new byte[19]));
        assertMalformedIp(tooShort, "truncated IPv4 header quoted in ICMP error");

        byte[] wrongFamily = PacketWriter.toIp(Frames.packet("10.0.0.1", "10.0.0.2", Packet.ICMP, 0, 0, 0, 0, 0, 0,
                11, 0, 0, null, PacketWriter.toIp(TCP6)));
        assertMalformedIp(wrongFamily, "ICMP error quotes a header that is not IPv4");

        byte[] quoteV6 = PacketWriter.toIp(Frames.packet("2001:db8::1", "2001:db8::2", Packet.ICMPV6, 0, 0, 0, 0, 0,
                0, 3, 0, 0, null, Arrays.copyOf(PacketWriter.toIp(TCP6), 39)));
        assertMalformedIp(quoteV6, "truncated IPv6 header quoted in ICMPv6 error");
    }

    private static Packet withoutPayload(Packet p) {
        return Frames.packet(p.source().toString(), p.destination().toString(), p.protocol(), p.sourcePort(),
                p.destinationPort(), p.tcpFlags(), p.tcpSeq(), p.tcpAck(), p.tcpWindow(), p.icmpType(), p.icmpCode(),
                p.icmpId(), null, new byte[0]);
    }

    /** The IPv4 packet of {@code p} edited by {@code edit}, its header checksum fixed so the edit is seen. */
    private static byte[] v4(Packet p, Consumer<byte[]> edit) {
        byte[] b = PacketWriter.toIp(p);
        edit.accept(b);
        if ((b[0] & 0x0F) >= 5 && (b[0] & 0x0F) * 4 <= b.length) {
            Frames.fixIpv4Checksum(b, 0);
        }
        return b;
    }

    private static byte[] corruptLast(byte[] ip) {
        ip[ip.length - 1] ^= 0x10;
        return ip;
    }

    private static byte[] frame(Packet p) {
        return PacketWriter.toEthernet(p, Frames.SRC_MAC, Frames.DST_MAC);
    }

    private static void assertMalformed(byte[] frame, String reason) {
        assertThatThrownBy(() -> PacketParser.parseEthernet(frame)).isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining(reason);
    }

    private static void assertMalformedIp(byte[] ip, String reason) {
        assertThatThrownBy(() -> PacketParser.parseIp(ip, 0, ip.length)).isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining(reason);
    }
}
