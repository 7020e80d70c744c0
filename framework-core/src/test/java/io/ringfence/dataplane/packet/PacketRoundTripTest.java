package io.ringfence.dataplane.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.net.IpFamily;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PacketRoundTripTest {

    static Stream<Packet> samples() {
        return Frames.samples().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void ethernetRoundTrip(Packet p) {
        byte[] frame = PacketWriter.toEthernet(p, Frames.SRC_MAC, Frames.DST_MAC);

        assertThat(PacketParser.parseEthernet(frame)).usingRecursiveComparison().isEqualTo(p);
        assertThat(PacketParser.parseIp(frame, 14, frame.length - 14)).usingRecursiveComparison().isEqualTo(p);
        assertThat(PacketWriter.toEthernet(PacketParser.parseEthernet(frame), Frames.SRC_MAC, Frames.DST_MAC))
                .isEqualTo(frame);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void vlanTagged(Packet p) {
        byte[] frame = PacketWriter.toEthernet(p, Frames.SRC_MAC, Frames.DST_MAC);
        byte[] dot1q = Frames.withVlan(frame, 0x8100, 100);
        byte[] qinq = Frames.withVlan(dot1q, 0x88A8, 7);

        assertThat(PacketParser.parseEthernet(dot1q)).usingRecursiveComparison().isEqualTo(p);
        assertThat(PacketParser.parseEthernet(qinq)).usingRecursiveComparison().isEqualTo(p);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void paddingAfterThePacketIsIgnored(Packet p) {
        byte[] frame = PacketWriter.toEthernet(p, Frames.SRC_MAC, Frames.DST_MAC);
        byte[] padded = Arrays.copyOf(frame, Math.max(60, frame.length + 4));

        assertThat(PacketParser.parseEthernet(padded)).usingRecursiveComparison().isEqualTo(p);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void ipv4OptionsAreSkipped(Packet p) {
        if (p.family() != IpFamily.IPV4) {
            return;
        }
        // record route (7), length 7, pointer 4, one empty slot; then end of list
        byte[] options = {7, 7, 4, 0, 0, 0, 0, 0};
        byte[] ip = Frames.withIpv4Options(PacketWriter.toIp(p), options);

        Packet parsed = PacketParser.parseIp(ip, 0, ip.length);

        assertThat(parsed).usingRecursiveComparison().ignoringFields("length").isEqualTo(p);
        assertThat(parsed.length()).isEqualTo(p.length() + 8);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void ipv6ExtensionHeadersAreSkipped(Packet p) {
        if (p.family() != IpFamily.IPV6) {
            return;
        }
        byte[] ip = PacketWriter.toIp(p);
        ip = Frames.withIpv6Extension(ip, Ipv6Extensions.DESTINATION_OPTIONS, 16, 0);
        ip = Frames.withIpv6Extension(ip, Ipv6Extensions.AUTHENTICATION, 24, 0);
        ip = Frames.withIpv6Extension(ip, Ipv6Extensions.FRAGMENT, 8, 0);
        ip = Frames.withIpv6Extension(ip, Ipv6Extensions.ROUTING, 24, 0);
        ip = Frames.withIpv6Extension(ip, Ipv6Extensions.HOP_BY_HOP, 8, 0);

        Packet parsed = PacketParser.parseEthernet(Frames.ethernet(ip, false));

        assertThat(parsed).usingRecursiveComparison().ignoringFields("length").isEqualTo(p);
        assertThat(parsed.length()).isEqualTo(p.length() + 80);
    }

    @Test
    void writerRefusesFieldsThatDoNotFit() {
        Packet p = Frames.samples().get(0);
        Packet bigPort = new Packet(p.family(), p.source(), p.destination(), Packet.TCP, 70000, 80, 0, 0, 0, 0, -1, -1,
                0, null, 64, 40, null);
        Packet bigTtl = new Packet(p.family(), p.source(), p.destination(), Packet.TCP, 1, 80, 0, 0, 0, 0, -1, -1,
                0, null, 256, 40, null);

        assertThatThrownBy(() -> PacketWriter.toIp(bigPort))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source port 70000");
        assertThatThrownBy(() -> PacketWriter.toIp(bigTtl))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TTL 256");
        assertThatThrownBy(() -> PacketWriter.toIp(
                Packet.udp("2001:db8::1", 1, "2001:db8::2", 2, new byte[65535 - 7])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
    }
}
