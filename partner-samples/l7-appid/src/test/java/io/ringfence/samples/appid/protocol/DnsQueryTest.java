package io.ringfence.samples.appid.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DnsQueryTest {

    private static Scan datagram(byte[] message) {
        return DnsQuery.scanDatagram(message, message.length);
    }

    @Test
    void readsTheFirstQuestionsName() {
        assertThat(datagram(Fixtures.dnsQuery("WWW.Example.com", 28)).identification())
                .isEqualTo(new Identification(App.DNS, "www.example.com", "qtype=28"));
        assertThat(datagram(Fixtures.dnsQuery("_sip._tcp.example.com", 33)).identification().host())
                .isEqualTo("_sip._tcp.example.com");
    }

    @Test
    void aQueryForTheRootHasNoHost() {
        byte[] priming = Wire.build(w -> w.u16(7).u16(0).u16(1).u16(0).u16(0).u16(0).u8(0).u16(2).u16(1));
        assertThat(datagram(priming).identification()).isEqualTo(new Identification(App.DNS, null, "qtype=2"));
    }

    @Test
    void overTcpTheMessageFollowsItsLengthAndEveryPrefixNeedsMore() {
        byte[] stream = Fixtures.overTcp(Fixtures.dnsQuery("tcp.example", 1));
        for (int length = 0; length < stream.length; length++) {
            assertThat(DnsQuery.scanStream(stream, length).outcome()).as("prefix of %d bytes", length)
                    .isEqualTo(Scan.Outcome.NEED_MORE);
        }
        assertThat(DnsQuery.scanStream(stream, stream.length).identification().host()).isEqualTo("tcp.example");
    }

    @Test
    void overTcpAHeaderThatIsNoQueryIsRuledOutBeforeTheWholeLengthArrives() {
        byte[] response = Fixtures.overTcp(Fixtures.dnsQuery("tcp.example", 1));
        response[4] |= (byte) 0x80; // QR: a response
        assertThat(DnsQuery.scanStream(response, 14).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
        assertThat(DnsQuery.scanStream(new byte[] {0, 3}, 2).outcome()).isEqualTo(Scan.Outcome.NO_MATCH); // too short
    }

    @Test
    void headersOfAnythingButAStandardQueryDoNotMatch() {
        int[][] changes = {
                {2, 0x80}, // QR: response
                {2, 0x28}, // opcode 5: UPDATE
                {3, 0x03}, // RCODE 3
                {5, 2}, // three questions
                {7, 1}, // an answer
                {9, 1}, // an authority record
        };
        for (int[] change : changes) {
            byte[] message = Fixtures.dnsQuery("a.example", 1);
            message[change[0]] |= (byte) change[1];
            assertThat(datagram(message).outcome()).as("byte %d |= %x", change[0], change[1]).isEqualTo(Scan.Outcome.NO_MATCH);
        }
    }

    @Test
    void compressionPointersAndReservedLabelTypesAreRefused() {
        byte[] header = Wire.build(w -> w.u16(1).u16(0).u16(1).u16(0).u16(0).u16(0));
        // a pointer to itself (offset 12): following it would loop
        byte[] loop = Wire.build(w -> w.bytes(header).u8(0xC0).u8(12).u16(1).u16(1));
        // a label, then a pointer back to that label
        byte[] backwards = Wire.build(w -> w.bytes(header).u8(1).ascii("a").u8(0xC0).u8(12).u16(1).u16(1));
        byte[] extended = Wire.build(w -> w.bytes(header).u8(0x41).u16(1).u16(1));
        byte[] reserved = Wire.build(w -> w.bytes(header).u8(0x80).u16(1).u16(1));
        for (byte[] message : new byte[][] {loop, backwards, extended, reserved}) {
            assertThat(datagram(message).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
        }
    }

    @Test
    void namesOverTheirLimitsOrWithOddCharactersAreRefused() {
        String label63 = "a".repeat(63);
        // 4 labels of 63 and one of 61: 4*64 + 62 + 1 = 319 bytes on the wire, over 255
        String tooLong = String.join(".", label63, label63, label63, label63, "b".repeat(61));
        assertThat(datagram(Fixtures.dnsQuery(tooLong, 1)).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
        // 3 labels of 63 and one of 61: 3*64 + 62 + 1 = 255 bytes, the most
        String longest = String.join(".", label63, label63, label63, "b".repeat(61));
        assertThat(datagram(Fixtures.dnsQuery(longest, 1)).identification().host()).hasSize(253);
        assertThat(datagram(Fixtures.dnsQuery("a b.example", 1)).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
        assertThat(datagram(Fixtures.dnsQuery("a\0b.example", 1)).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
        byte[] dotInLabel = Wire.build(w -> w.u16(1).u16(0).u16(1).u16(0).u16(0).u16(0)
                .vector8(l -> l.ascii("evil.example")).vector8(l -> l.ascii("com")).u8(0).u16(1).u16(1));
        assertThat(datagram(dotInLabel).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
    }

    @Test
    void lengthsPointingBeyondTheMessageAreMalformed() {
        byte[] message = Fixtures.dnsQuery("a.example", 1);
        byte[] labelPastEnd = Wire.build(w -> w.bytes(Arrays.copyOf(message, 12)).u8(60).ascii("short"));
        assertThat(datagram(labelPastEnd).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
        byte[] noTypeAndClass = Arrays.copyOf(message, 12 + 11 + 2);
        assertThat(datagram(noTypeAndClass).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
        byte[] headerOnly = Arrays.copyOf(message, 11);
        assertThat(datagram(headerOnly).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
        // over TCP the question must lie within the stated length, even when more bytes follow
        byte[] shortLength = Fixtures.overTcp(message);
        shortLength[1] = 14; // the length covers the header and two bytes of the name only
        assertThat(DnsQuery.scanStream(shortLength, shortLength.length).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
    }
}
