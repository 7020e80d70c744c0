package io.ringfence.samples.appid.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TlsClientHelloTest {

    private static Scan scan(byte[] bytes) {
        return TlsClientHello.scan(bytes, bytes.length);
    }

    @Test
    void readsTheServerNameAndAlpnOfATls13ClientHello() {
        byte[] hello = new ClientHelloBuilder().serverName("Www.Example.COM").alpn("h2", "http/1.1").record();

        Scan scan = scan(hello);

        assertThat(scan.outcome()).isEqualTo(Scan.Outcome.MATCH);
        assertThat(scan.identification()).isEqualTo(new Identification(App.TLS, "www.example.com", "alpn=h2,http/1.1"));
    }

    @Test
    void everyPrefixOfTheClientHelloNeedsMoreBytes() {
        byte[] hello = new ClientHelloBuilder().serverName("a.example").records(100);
        for (int length = 0; length < hello.length; length++) {
            assertThat(TlsClientHello.scan(hello, length).outcome()).as("prefix of %d bytes", length)
                    .isEqualTo(Scan.Outcome.NEED_MORE);
        }
        assertThat(scan(hello).identification().host()).isEqualTo("a.example");
    }

    @Test
    void aClientHelloFragmentedIntoManyRecordsIsReassembled() {
        for (int fragment : new int[] {1, 2, 5, 64, 255}) {
            byte[] records = new ClientHelloBuilder().serverName("frag.example").records(fragment);
            assertThat(scan(records).identification()).as("fragments of %d", fragment)
                    .isEqualTo(new Identification(App.TLS, "frag.example", null));
        }
    }

    @Test
    void aClientHelloWithoutServerNameOrExtensionsIsTlsWithoutHost() {
        assertThat(scan(new ClientHelloBuilder().record()).identification())
                .isEqualTo(new Identification(App.TLS, null, null));
        assertThat(scan(new ClientHelloBuilder().withoutExtensions().record()).identification())
                .isEqualTo(new Identification(App.TLS, null, null));
    }

    @Test
    void bytesAfterTheClientHelloInItsRecordAreIgnored() {
        byte[] handshake = new ClientHelloBuilder().serverName("x.example").handshake();
        byte[] record = Wire.build(w -> w.u8(22).u16(0x0301).vector16(b -> b.bytes(handshake).bytes(new byte[] {9, 9})));
        assertThat(scan(record).identification().host()).isEqualTo("x.example");
    }

    @Test
    void otherContentOrHandshakeTypesAreNotTls() {
        assertThat(scan(new byte[] {23}).outcome()).isEqualTo(Scan.Outcome.NO_MATCH); // application data
        assertThat(scan(new byte[] {22, 2}).outcome()).isEqualTo(Scan.Outcome.NO_MATCH); // record version 2.x
        assertThat(scan(new byte[] {22, 3, 5}).outcome()).isEqualTo(Scan.Outcome.NO_MATCH); // record version 3.5
        assertThat(scan(new byte[] {22, 3, 1, 0, 4, 2}).outcome()).isEqualTo(Scan.Outcome.NO_MATCH); // ServerHello
        assertThat(scan(new byte[] {22, 3, 1, 0, 0}).outcome()).isEqualTo(Scan.Outcome.NO_MATCH); // empty fragment
        assertThat(scan(new byte[] {22, 3, 1, 0x40, 1}).outcome()).isEqualTo(Scan.Outcome.NO_MATCH); // over 2^14
        assertThat(scan("GET / HTTP/1.1\r\n".getBytes()).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
    }

    @Test
    void anotherRecordTypeBeforeTheClientHelloEndsIsMalformed() {
        byte[] handshake = new ClientHelloBuilder().serverName("x.example").handshake();
        byte[] mixed = Wire.build(w -> w.u8(22).u16(0x0301).vector16(b -> b.bytes(Arrays.copyOf(handshake, 10)))
                .u8(21).u16(0x0301).vector16(b -> b.u8(2).u8(40))); // an alert in the middle
        assertThat(scan(mixed).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
    }

    @Test
    void aHandshakeLengthNoClientHelloCanHaveIsRefusedAtOnce() {
        byte[] huge = Wire.build(w -> w.u8(22).u16(0x0301).u16(4).u8(1).u24(0xFFFFFF));
        assertThat(scan(huge).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
    }

    @Test
    void lengthsThatOverrunTheirEnclosingStructureAreMalformed() {
        byte[] body = new ClientHelloBuilder().serverName("x.example").body();
        // session id length 33 (over 32), then the same with a cipher suites length past the end
        byte[] longSessionId = body.clone();
        longSessionId[34] = 33;
        assertThat(scan(record(longSessionId)).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
        byte[] suitesPastEnd = body.clone();
        suitesPastEnd[2 + 32 + 1 + 32] = (byte) 0xFF;
        assertThat(scan(record(suitesPastEnd)).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
        // extensions block one byte longer than what follows, and one byte shorter
        int extensionsAt = 2 + 32 + 1 + 32 + 2 + 6 + 1 + 1;
        for (int delta : new int[] {1, -1}) {
            byte[] b = body.clone();
            int length = ((b[extensionsAt] & 0xFF) << 8 | b[extensionsAt + 1] & 0xFF) + delta;
            b[extensionsAt] = (byte) (length >> 8);
            b[extensionsAt + 1] = (byte) length;
            assertThat(scan(record(b)).outcome()).as("delta %d", delta).isEqualTo(Scan.Outcome.NO_MATCH);
        }
    }

    @Test
    void malformedServerNamesAreRefused() {
        byte[][] bodies = {
                {}, // empty extension
                Wire.build(w -> w.u16(0)), // empty list
                Wire.build(w -> w.u16(100).u8(0).u16(1).ascii("a")), // list length past the extension
                Wire.build(w -> w.vector16(l -> l.u8(0).u16(50).ascii("short"))), // name length past the list
                Wire.build(w -> w.vector16(l -> l.u8(1).vector16(n -> n.ascii("a.example")))), // not host_name
                Wire.build(w -> w.vector16(l -> l.u8(0).vector16(n -> n.ascii("a.example"))
                        .u8(0).vector16(n -> n.ascii("b.example")))), // two names
                Wire.build(w -> w.vector16(l -> l.u8(0).vector16(n -> n.ascii("")))), // empty name
                Wire.build(w -> w.vector16(l -> l.u8(0).vector16(n -> n.ascii("192.0.2.1")))), // IP literal
                Wire.build(w -> w.vector16(l -> l.u8(0).vector16(n -> n.ascii("bad..example")))),
                Wire.build(w -> w.vector16(l -> l.u8(0).vector16(n -> n.ascii("nul\0.example")))),
                Wire.build(w -> w.vector16(l -> l.u8(0).vector16(n -> n.bytes(new byte[] {'a', (byte) 0xE9})))),
        };
        for (byte[] body : bodies) {
            byte[] hello = new ClientHelloBuilder().serverNameExtension(body).record();
            assertThat(scan(hello).outcome()).as("server_name %s", Arrays.toString(body)).isEqualTo(Scan.Outcome.NO_MATCH);
        }
    }

    @Test
    void aRepeatedExtensionIsMalformed() {
        byte[] sniAgain = Wire.build(w -> w.vector16(l -> l.u8(0).vector16(n -> n.ascii("other.example"))));
        assertThat(scan(new ClientHelloBuilder().serverName("a.example").extension(0, sniAgain).record()).outcome())
                .isEqualTo(Scan.Outcome.NO_MATCH);
    }

    @Test
    void malformedAlpnIsRefusedAndOddBytesAreShownSafely() {
        assertThat(scan(new ClientHelloBuilder().extension(16, Wire.build(w -> w.u16(0))).record()).outcome())
                .isEqualTo(Scan.Outcome.NO_MATCH);
        assertThat(scan(new ClientHelloBuilder().extension(16, Wire.build(w -> w.vector16(l -> l.u8(0)))).record())
                .outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
        byte[] odd = Wire.build(w -> w.vector16(l -> l.vector8(n -> n.bytes(new byte[] {'h', '\n', (byte) 0xFF}))));
        assertThat(scan(new ClientHelloBuilder().extension(16, odd).record()).identification().detail())
                .isEqualTo("alpn=h??");
    }

    @Test
    void aTrailingDotIsDroppedFromTheServerName() {
        assertThat(scan(new ClientHelloBuilder().serverName("a.example.").record()).identification().host())
                .isEqualTo("a.example");
    }

    private static byte[] record(byte[] body) {
        return Wire.build(w -> w.u8(22).u16(0x0301).vector16(r -> r.u8(1).vector24(b -> b.bytes(body))));
    }
}
