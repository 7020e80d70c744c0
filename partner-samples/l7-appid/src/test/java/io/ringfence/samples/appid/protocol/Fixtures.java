package io.ringfence.samples.appid.protocol;

import java.nio.charset.StandardCharsets;

/** First bytes of real flows, in the formats their RFCs give. */
public final class Fixtures {

    private Fixtures() {
    }

    public static final String HTTP_GET = "GET /index.html?q=1 HTTP/1.1\r\n"
            + "Host: WWW.Example.COM:8080\r\n"
            + "User-Agent: curl/8.5.0\r\n"
            + "Accept: */*\r\n"
            + "\r\n";

    public static final String SSH_CLIENT = "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5\r\n";
    public static final String SSH_SERVER = "SSH-2.0-OpenSSH_8.9\r\n";

    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A standard recursive query for {@code name} (dotted, no trailing dot), type {@code qtype}, class IN, with an EDNS OPT record. */
    public static byte[] dnsQuery(String name, int qtype) {
        return Wire.build(w -> {
            w.u16(0x1234).u16(0x0100); // id; flags: RD
            w.u16(1).u16(0).u16(0).u16(1); // QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT
            for (String label : name.split("\\.")) {
                w.vector8(l -> l.ascii(label));
            }
            w.u8(0).u16(qtype).u16(1);
            w.u8(0).u16(41).u16(1232).u16(0).u16(0).u16(0); // OPT: root, type 41, UDP size, ext-rcode/flags, rdlen 0
        });
    }

    /** A DNS message as sent over TCP: after its two-byte length. */
    public static byte[] overTcp(byte[] message) {
        return Wire.build(w -> w.vector16(m -> m.bytes(message)));
    }
}
