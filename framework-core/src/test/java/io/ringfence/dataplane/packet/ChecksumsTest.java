package io.ringfence.dataplane.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.net.IpPrefix;
import org.junit.jupiter.api.Test;

class ChecksumsTest {

    @Test
    void rfc1071Example() {
        // RFC 1071 section 3: the one's complement sum of these words is 0xddf2
        byte[] data = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};

        assertThat(Checksums.internet(data, 0, data.length)).isEqualTo(~0xddf2 & 0xFFFF);
    }

    @Test
    void knownIpv4HeaderVerifiesToZero() {
        int[] words = {0x4500, 0x0073, 0x0000, 0x4000, 0x4011, 0xb861, 0xc0a8, 0x0001, 0xc0a8, 0x00c7};
        byte[] header = new byte[20];
        for (int i = 0; i < words.length; i++) {
            Bytes.put16(header, 2 * i, words[i]);
        }

        assertThat(Checksums.internet(header, 0, 20)).isZero();
        Bytes.put16(header, 10, 0);
        assertThat(Checksums.internet(header, 0, 20)).isEqualTo(0xb861);
    }

    @Test
    void oddLengthPadsWithZero() {
        byte[] data = {0x12, 0x34, 0x56};

        assertThat(Checksums.internet(data, 0, 3)).isEqualTo(~(0x1234 + 0x5600) & 0xFFFF);
        assertThat(Checksums.internet(new byte[] {9, 0x12, 0x34, 0x56}, 1, 3)).isEqualTo(~(0x1234 + 0x5600) & 0xFFFF);
    }

    @Test
    void pseudoHeaderSumsAddressesProtocolAndLength() {
        IpPrefix s = IpPrefix.parse("10.0.0.1");
        IpPrefix d = IpPrefix.parse("10.0.0.2");
        byte[] segment = new byte[8];

        int expected = ~(0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 17 + 8) & 0xFFFF;
        assertThat(Checksums.transport(s, d, 17, segment, 0, 8)).isEqualTo(expected);
    }

    @Test
    void ipv6PseudoHeaderCoversAll128Bits() {
        IpPrefix s = IpPrefix.parse("2001:db8::1");
        IpPrefix d = IpPrefix.parse("2001:db8::2");
        IpPrefix other = IpPrefix.parse("2001:db9::2");
        byte[] segment = new byte[8];

        assertThat(Checksums.transport(s, d, 58, segment, 0, 8))
                .isEqualTo(~(0x2001 + 0x0db8 + 1 + 0x2001 + 0x0db8 + 2 + 58 + 8) & 0xFFFF)
                .isNotEqualTo(Checksums.transport(s, other, 58, segment, 0, 8));
    }
}
