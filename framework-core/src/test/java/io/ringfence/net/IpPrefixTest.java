package io.ringfence.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.model.json.ModelJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {

    // ---- IPv4 parsing

    @Test
    void parsesIpv4Address() {
        IpPrefix p = IpPrefix.parse("10.1.2.3");
        assertThat(p.family()).isEqualTo(IpFamily.IPV4);
        assertThat(p.high()).isZero();
        assertThat(p.low()).isEqualTo(0x0A010203L);
        assertThat(p.length()).isEqualTo(32);
        assertThat(p.isHost()).isTrue();
        assertThat(p).hasToString("10.1.2.3");
    }

    @Test
    void parsesIpv4Prefix() {
        IpPrefix p = IpPrefix.parse("10.1.2.0/24");
        assertThat(p.low()).isEqualTo(0x0A010200L);
        assertThat(p.length()).isEqualTo(24);
        assertThat(p.isHost()).isFalse();
        assertThat(p).hasToString("10.1.2.0/24");
    }

    @Test
    void parsesIpv4Extremes() {
        assertThat(IpPrefix.parse("0.0.0.0/0")).isEqualTo(new IpPrefix(IpFamily.IPV4, 0, 0, 0));
        assertThat(IpPrefix.parse("255.255.255.255").low()).isEqualTo(0xFFFF_FFFFL);
        assertThat(IpPrefix.parse("0.0.0.0")).hasToString("0.0.0.0");
    }

    @Test
    void fullLengthIsPrintedWithoutLength() {
        assertThat(IpPrefix.parse("10.0.0.1/32")).isEqualTo(IpPrefix.parse("10.0.0.1")).hasToString("10.0.0.1");
        assertThat(IpPrefix.parse("::1/128")).isEqualTo(IpPrefix.parse("::1")).hasToString("::1");
    }

    @Test
    void surroundingBlanksAreIgnored() {
        assertThat(IpPrefix.parse("  10.0.0.0/8 ")).isEqualTo(IpPrefix.parse("10.0.0.0/8"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"01.2.3.4", "1.02.3.4", "1.2.3.00", "010.0.0.1"})
    void rejectsLeadingZerosInIpv4Octets(String text) {
        assertThatThrownBy(() -> IpPrefix.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text);
    }

    @Test
    void rejectsOctetAbove255() {
        assertThatThrownBy(() -> IpPrefix.parse("10.0.256.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256")
                .hasMessageContaining("0-255");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.", ".1.2.3", "1.2.3.-4", "1.2.3.4a", "a.b.c.d",
            "1.2.3.+4", "1234.1.1.1", "1.2.3.4/", "1.2.3.4/-1", "1.2.3.4/a", "1.2.3.4/1000", "10.0.0.0/8/8",
            "\u0661.2.3.4", "\uff11.2.3.4", "", " ", "localhost"})
    void rejectsMalformedIpv4(String text) {
        assertThatThrownBy(() -> IpPrefix.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> IpPrefix.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.0/33,32", "::/129,128", "2001:db8::/200,128"})
    void rejectsPrefixLengthOutOfRange(String text, String max) {
        assertThatThrownBy(() -> IpPrefix.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(max);
    }

    @Test
    void constructorRejectsLengthOutOfRange() {
        assertThatThrownBy(() -> new IpPrefix(IpFamily.IPV4, 0, 0, 33)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IpPrefix(IpFamily.IPV4, 0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IpPrefix(IpFamily.IPV6, 0, 0, 129)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IpPrefix(IpFamily.IPV4, 0, 1L << 32, 32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IpPrefix(IpFamily.IPV4, 1, 0, 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IpPrefix(null, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
            "10.1.2.3/24, 10.1.2.0/24",
            "10.0.0.1/0, 0.0.0.0/0",
            "192.168.1.129/25, 192.168.1.128/25",
            "2001:db8::1/64, 2001:db8::/64",
            "2001:db8:1:2:3:4:5:6/32, 2001:db8::/32",
            "::1/127, ::/127",
            "8000::/0, ::/0",
            "2001:db8:0:0:8000::/64, 2001:db8::/64"})
    void rejectsHostBitsAndSuggestsTheNetwork(String text, String network) {
        assertThatThrownBy(() -> IpPrefix.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host bits")
                .hasMessageContaining("the network is " + network);
        // and the suggestion is itself valid
        assertThat(IpPrefix.parse(network)).hasToString(network);
    }

    // ---- IPv6 parsing

    @Test
    void parsesFullIpv6() {
        IpPrefix p = IpPrefix.parse("2001:0db8:0000:0000:0000:ff00:0042:8329");
        assertThat(p.family()).isEqualTo(IpFamily.IPV6);
        assertThat(p.high()).isEqualTo(0x2001_0db8_0000_0000L);
        assertThat(p.low()).isEqualTo(0x0000_ff00_0042_8329L);
        assertThat(p.length()).isEqualTo(128);
        assertThat(p).hasToString("2001:db8::ff00:42:8329");
    }

    @ParameterizedTest
    @CsvSource({
            "::, 0, 0",
            "::1, 0, 1",
            "1::, 0x0001000000000000, 0",
            "1::1, 0x0001000000000000, 1",
            "2001:db8::, 0x20010db800000000, 0",
            "::ffff:0:0, 0, 0x0000ffff00000000",
            "1:2:3:4:5:6:7::, 0x0001000200030004, 0x0005000600070000",
            "::2:3:4:5:6:7:8, 0x0000000200030004, 0x0005000600070008",
            "FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF, -1, -1"})
    void parsesCompressedIpv6(String text, String high, String low) {
        IpPrefix p = IpPrefix.parse(text);
        assertThat(p.high()).isEqualTo(parseLong(high));
        assertThat(p.low()).isEqualTo(parseLong(low));
        assertThat(p.isHost()).isTrue();
    }

    private static long parseLong(String s) {
        return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }

    @Test
    void parsesEmbeddedIpv4() {
        IpPrefix mapped = IpPrefix.parse("::ffff:10.0.0.1");
        assertThat(mapped.family()).isEqualTo(IpFamily.IPV6);
        assertThat(mapped.high()).isZero();
        assertThat(mapped.low()).isEqualTo(0x0000_ffff_0a00_0001L);
        assertThat(mapped).isEqualTo(IpPrefix.parse("::ffff:a00:1"));
        assertThat(IpPrefix.parse("64:ff9b::192.0.2.33")).isEqualTo(IpPrefix.parse("64:ff9b::c000:221"));
        assertThat(IpPrefix.parse("1:2:3:4:5:6:10.0.0.1")).isEqualTo(IpPrefix.parse("1:2:3:4:5:6:a00:1"));
        assertThat(IpPrefix.parse("::255.255.255.255")).isEqualTo(IpPrefix.parse("::ffff:ffff"));
        assertThat(IpPrefix.parse("::ffff:10.0.0.0/104")).isEqualTo(IpPrefix.parse("::ffff:a00:0/104"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            ":::", "1:::2", "::1::", "1::2::3", "::1:2::3",
            "12345::", "1:2:3:4:5:6:7:12345", "::fffff",
            "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2:3:4:5:6:7:8", "1:2:3:4:5:6::7:8",
            ":1::", "1:", ":1", "1::2:", "g::", "::-1", "::+1", "fe80::1%eth0",
            "::ffff:10.0.0.256", "::ffff:010.0.0.1", "::ffff:10.0.0", "::10.0.0.1:1", "1:2:3:4:5:6:7:10.0.0.1",
            "1:2:3:4:5:6::10.0.0.1", "::ffff:10.0.0.1.2", "10.0.0.1::",
            "\uff11::"})
    void rejectsMalformedIpv6(String text) {
        assertThatThrownBy(() -> IpPrefix.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesTheProblemInTheMessage() {
        assertThatThrownBy(() -> IpPrefix.parse("1::2::3")).hasMessageContaining("more than one '::'");
        assertThatThrownBy(() -> IpPrefix.parse(":::")).hasMessageContaining("':::'");
        assertThatThrownBy(() -> IpPrefix.parse("12345::1")).hasMessageContaining("12345");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/8x")).hasMessageContaining("10.0.0.0/8x");
    }

    // ---- canonical text (RFC 5952)

    @ParameterizedTest
    @CsvSource({
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:0db8::0001, 2001:db8::1",
            "2001:DB8::ABCD, 2001:db8::abcd",
            "0:0:0:0:0:0:0:0, ::",
            "0:0:0:0:0:0:0:1, ::1",
            "1:0:0:0:0:0:0:0, 1::",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
            "2001:db8:0:0:1:0:0:0, 2001:db8:0:0:1::",
            "0:0:1:0:0:0:1:0, 0:0:1::1:0",
            "1:0:1:0:1:0:1:0, 1:0:1:0:1:0:1:0",
            "fe80:0:0:0:0:0:0:1/128, fe80::1",
            "2001:db8::/32, 2001:db8::/32",
            "::/0, ::/0",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"})
    void formatsIpv6Canonically(String text, String canonical) {
        IpPrefix p = IpPrefix.parse(text);
        assertThat(p).hasToString(canonical);
        assertThat(IpPrefix.parse(canonical)).isEqualTo(p);
    }

    // ---- contains

    @Test
    void containsIpv4() {
        IpPrefix net = IpPrefix.parse("10.1.0.0/16");
        assertThat(net.contains(IpPrefix.parse("10.1.0.0/16"))).isTrue();
        assertThat(net.contains(IpPrefix.parse("10.1.2.0/24"))).isTrue();
        assertThat(net.contains(IpPrefix.parse("10.1.255.255"))).isTrue();
        assertThat(net.contains(IpPrefix.parse("10.2.0.0"))).isFalse();
        assertThat(net.contains(IpPrefix.parse("10.0.0.0/8"))).isFalse();
        assertThat(net.contains(IpPrefix.parse("10.0.255.255"))).isFalse();
        assertThat(IpPrefix.parse("0.0.0.0/0").contains(IpPrefix.parse("255.255.255.255"))).isTrue();
        assertThat(IpPrefix.parse("10.0.0.1").contains(IpPrefix.parse("10.0.0.1"))).isTrue();
    }

    @Test
    void containsIpv6() {
        IpPrefix net = IpPrefix.parse("2001:db8::/32");
        assertThat(net.contains(IpPrefix.parse("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(net.contains(IpPrefix.parse("2001:db8:1::/48"))).isTrue();
        assertThat(net.contains(IpPrefix.parse("2001:db9::"))).isFalse();
        assertThat(net.contains(IpPrefix.parse("2001::/16"))).isFalse();
        assertThat(IpPrefix.parse("::/0").contains(IpPrefix.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")))
                .isTrue();
        IpPrefix slash65 = IpPrefix.parse("2001:db8::/65");
        assertThat(slash65.contains(IpPrefix.parse("2001:db8::7fff:ffff:ffff:ffff"))).isTrue();
        assertThat(slash65.contains(IpPrefix.parse("2001:db8::8000:0:0:0"))).isFalse();
    }

    @Test
    void containsNeverCrossesFamilies() {
        assertThat(IpPrefix.parse("0.0.0.0/0").contains(IpPrefix.parse("::"))).isFalse();
        assertThat(IpPrefix.parse("::/0").contains(IpPrefix.parse("0.0.0.0"))).isFalse();
        assertThat(IpPrefix.parse("::/96").contains(IpPrefix.parse("0.0.0.1"))).isFalse();
    }

    @Test
    void firstAndLast() {
        IpPrefix p = IpPrefix.parse("10.0.0.0/30");
        assertThat(p.first()).containsExactly(0, 0x0A000000L);
        assertThat(p.last()).containsExactly(0, 0x0A000003L);
        IpPrefix q = IpPrefix.parse("2001:db8::/64");
        assertThat(q.last()).containsExactly(0x20010db800000000L, -1L);
        assertThat(IpPrefix.parse("::/0").last()).containsExactly(-1L, -1L);
        assertThat(IpPrefix.parse("0.0.0.0/0").last()).containsExactly(0, 0xFFFF_FFFFL);
    }

    // ---- ordering and equality

    @Test
    void comparesByFamilyThenAddressThenLength() {
        List<IpPrefix> sorted = List.of(
                IpPrefix.parse("0.0.0.0/0"),
                IpPrefix.parse("9.255.255.255"),
                IpPrefix.parse("10.0.0.0/8"),
                IpPrefix.parse("10.0.0.0/24"),
                IpPrefix.parse("10.0.0.0"),
                IpPrefix.parse("128.0.0.0/1"),
                IpPrefix.parse("255.255.255.255"),
                IpPrefix.parse("::/0"),
                IpPrefix.parse("::1"),
                IpPrefix.parse("::ffff:0.0.0.0/96"),
                IpPrefix.parse("1::"),
                IpPrefix.parse("7fff:ffff:ffff:ffff::"),
                IpPrefix.parse("8000::/1"),
                IpPrefix.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
        List<IpPrefix> shuffled = new ArrayList<>(sorted);
        Collections.reverse(shuffled);
        Collections.sort(shuffled);
        assertThat(shuffled).containsExactlyElementsOf(sorted);
        // unsigned comparison: high bit set sorts last
        assertThat(IpPrefix.parse("8000::").compareTo(IpPrefix.parse("7fff::"))).isPositive();
        assertThat(IpPrefix.parse("::8000:0:0:0").compareTo(IpPrefix.parse("::7fff:0:0:0"))).isPositive();
        assertThat(IpPrefix.parse("10.0.0.0/8").compareTo(IpPrefix.parse("10.0.0.0/8"))).isZero();
    }

    @Test
    void equalityIgnoresSpelling() {
        assertThat(IpPrefix.parse("2001:DB8:0::0:1")).isEqualTo(IpPrefix.parse("2001:db8::1"))
                .hasSameHashCodeAs(IpPrefix.parse("2001:db8::1"));
        assertThat(IpPrefix.parse("10.0.0.0/8")).isNotEqualTo(IpPrefix.parse("10.0.0.0/9"));
        assertThat(IpPrefix.parse("::")).isNotEqualTo(IpPrefix.parse("0.0.0.0"));
    }

    // ---- JSON

    @Test
    void jsonRoundTrip() throws Exception {
        ObjectMapper json = ModelJson.mapper();
        for (String text : List.of("10.0.0.0/8", "10.1.2.3", "2001:db8::/32", "::1", "::ffff:a00:1", "::/0")) {
            IpPrefix p = IpPrefix.parse(text);
            String written = json.writeValueAsString(p);
            assertThat(written).isEqualTo("\"" + text + "\"");
            assertThat(json.readValue(written, IpPrefix.class)).isEqualTo(p);
        }
        assertThat(json.readValue("\"2001:0DB8::0001\"", IpPrefix.class)).hasToString("2001:db8::1");
    }

    @Test
    void jsonRejectsInvalidPrefix() {
        ObjectMapper json = ModelJson.mapper();
        assertThatThrownBy(() -> json.readValue("\"10.0.0.1/8\"", IpPrefix.class))
                .hasMessageContaining("host bits");
        assertThatThrownBy(() -> json.readValue("\"1.2.3\"", IpPrefix.class)).isNotNull();
        assertThatThrownBy(() -> json.readValue("42", IpPrefix.class)).isNotNull();
    }
}
