package io.ringfence.dataplane.packet;

import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;
import java.util.Arrays;
import java.util.List;

/**
 * Test fixtures: sample packets, and edits of written frames that a Packet cannot express (VLAN
 * tags, IPv4 options, IPv6 extension headers).
 */
final class Frames {

    static final long SRC_MAC = 0x02_00_00_00_00_01L;
    static final long DST_MAC = 0x02_00_00_00_00_02L;

    private Frames() {
    }

    /** A packet with fields consistent with what the writer produces (length computed). */
    static Packet packet(String source, String destination, int protocol, int sourcePort, int destinationPort,
                         int flags, long seq, long ack, int window, int type, int code, int id, Packet embedded,
                         byte[] payload) {
        IpPrefix s = IpPrefix.parse(source);
        int header = s.family() == IpFamily.IPV4 ? 20 : 40;
        int transport = protocol == Packet.TCP ? 20 : protocol == Packet.UDP || protocol == Packet.ICMP
                || protocol == Packet.ICMPV6 ? 8 : 0;
        return new Packet(s.family(), s, IpPrefix.parse(destination), protocol, sourcePort, destinationPort, flags,
                seq, ack, window, type, code, id, embedded, 64, header + transport + payload.length, payload);
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** Packets of every kind the parser reads, on both families. */
    static List<Packet> samples() {
        return List.of(
                packet("10.0.0.1", "10.0.0.2", Packet.TCP, 40000, 443, Packet.SYN, 0xFFFF_FFF0L, 0, 64240, -1, -1, 0,
                        null, new byte[0]),
                packet("192.168.1.10", "8.8.8.8", Packet.TCP, 1, 65535, Packet.ACK | Packet.PSH | 0xC0, 1234567890L,
                        0xDEAD_BEEFL, 512, -1, -1, 0, null, bytes(101, 7)),
                packet("10.0.0.1", "10.0.0.2", Packet.UDP, 5353, 53, 0, 0, 0, 0, -1, -1, 0, null, bytes(33, 1)),
                packet("10.0.0.1", "10.0.0.2", Packet.UDP, 1, 2, 0, 0, 0, 0, -1, -1, 0, null, new byte[0]),
                packet("10.9.8.7", "10.0.0.2", Packet.ICMP, 0, 0, 0, 0, 0, 0, 8, 0, 0xBEEF, null, bytes(56, 3)),
                packet("10.9.8.7", "10.0.0.2", Packet.ICMP, 0, 0, 0, 0, 0, 0, 0, 0, 7, null, new byte[0]),
                packet("10.9.8.7", "10.0.0.2", Packet.ICMP, 0, 0, 0, 0, 0, 0, 13, 0, 0, null, bytes(12, 3)),
                packet("10.9.8.7", "10.0.0.2", 47, 0, 0, 0, 0, 0, 0, -1, -1, 0, null, bytes(24, 5)),
                packet("2001:db8::1", "2001:db8:ffff::2", Packet.TCP, 22, 50000, Packet.SYN | Packet.ACK, 1, 2, 1000,
                        -1, -1, 0, null, new byte[0]),
                packet("2001:db8::1", "2001:db8::2", Packet.TCP, 22, 50000, Packet.FIN | Packet.ACK, 77, 99, 0,
                        -1, -1, 0, null, bytes(999, 11)),
                packet("fe80::1", "ff02::fb", Packet.UDP, 5353, 5353, 0, 0, 0, 0, -1, -1, 0, null, bytes(17, 2)),
                packet("2001:db8::1", "2001:db8::2", Packet.ICMPV6, 0, 0, 0, 0, 0, 0, 128, 0, 4242, null,
                        bytes(32, 9)),
                packet("2001:db8::1", "2001:db8::2", Packet.ICMPV6, 0, 0, 0, 0, 0, 0, 129, 0, 1, null, new byte[0]),
                packet("2001:db8::1", "2001:db8::2", Packet.ICMPV6, 0, 0, 0, 0, 0, 0, 135, 0, 0, null, bytes(16, 1)),
                packet("2001:db8::1", "2001:db8::2", 59, 0, 0, 0, 0, 0, 0, -1, -1, 0, null, new byte[0]));
    }

    /** Inserts a VLAN tag (TPID then VLAN id) after the MAC addresses. */
    static byte[] withVlan(byte[] frame, int tpid, int vlanId) {
        byte[] tag = {(byte) (tpid >>> 8), (byte) tpid, (byte) (vlanId >>> 8), (byte) vlanId};
        return insert(frame, 12, tag);
    }

    /** Inserts IPv4 options (a multiple of 4 bytes) in an IP packet, fixing IHL, total length and header checksum. */
    static byte[] withIpv4Options(byte[] ip, byte[] options) {
        byte[] b = insert(ip, 20, options);
        b[0] = (byte) (0x40 | (20 + options.length) / 4);
        Bytes.put16(b, 2, b.length);
        fixIpv4Checksum(b, 0);
        return b;
    }

    static void fixIpv4Checksum(byte[] b, int off) {
        int ihl = (b[off] & 0x0F) * 4;
        Bytes.put16(b, off + 10, 0);
        Bytes.put16(b, off + 10, Checksums.internet(b, off, ihl));
    }

    /**
     * Inserts an extension header of {@code type} and {@code size} bytes first in an IPv6 packet's
     * chain; for a fragment header, {@code fragmentField} is its offset/M word.
     */
    static byte[] withIpv6Extension(byte[] ip, int type, int size, int fragmentField) {
        byte[] ext = new byte[size];
        ext[0] = ip[6];
        if (type == Ipv6Extensions.FRAGMENT) {
            Bytes.put16(ext, 2, fragmentField);
        } else if (type == Ipv6Extensions.AUTHENTICATION) {
            ext[1] = (byte) (size / 4 - 2);
        } else {
            ext[1] = (byte) (size / 8 - 1);
            if (type != Ipv6Extensions.ROUTING) {
                // one PadN option filling the header
                ext[2] = 1;
                ext[3] = (byte) (size - 4);
            }
        }
        byte[] b = insert(ip, 40, ext);
        b[6] = (byte) type;
        Bytes.put16(b, 4, b.length - 40);
        return b;
    }

    static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] r = new byte[b.length + what.length];
        System.arraycopy(b, 0, r, 0, at);
        System.arraycopy(what, 0, r, at, what.length);
        System.arraycopy(b, at, r, at + what.length, b.length - at);
        return r;
    }

    static byte[] ethernet(byte[] ip, boolean v4) {
        byte[] head = new byte[14];
        Bytes.put16(head, 12, v4 ? 0x0800 : 0x86DD);
        return insert(ip, 0, head);
    }

    static byte[] copy(byte[] b) {
        return Arrays.copyOf(b, b.length);
    }
}
