package io.ringfence.samples.appid.protocol;

/**
 * Recognizes a DNS query (RFC 1035 §4.1) and reads the name of its question: over UDP one message per
 * datagram, over TCP each message after a two-byte length (§4.2.2).
 *
 * <p>A query here is a standard query (QR 0, opcode QUERY, RCODE 0) with one question and no answer or
 * authority records. The question name is read label by label: lengths at most 63, the name at most
 * 255 bytes (§2.3.4), label characters those of {@link HostName}. A compression pointer (or a reserved
 * label type) in it does not match: the first question starts right after the header, so a pointer
 * could only point back into the header or into the name itself — never legitimately, and following
 * it could loop.
 */
public final class DnsQuery {

    private static final int HEADER = 12;
    private static final int MAX_NAME = 255;
    private static final int FLAG_QR = 0x8000;
    private static final int OPCODE_MASK = 0x7800;
    private static final int RCODE_MASK = 0x000F;

    private DnsQuery() {
    }

    /** Scans one UDP datagram (or its first {@code length} bytes). */
    public static Scan scanDatagram(byte[] datagram, int length) {
        return message(new ByteReader(datagram, 0, length));
    }

    /** Scans the first {@code length} bytes a client sent over TCP. */
    public static Scan scanStream(byte[] s, int length) {
        if (length < 2) {
            return Scan.NEED_MORE;
        }
        int messageLength = (s[0] & 0xFF) << 8 | s[1] & 0xFF;
        if (messageLength < HEADER + 1 + 4) {
            return Scan.NO_MATCH; // a header, the root name, type and class at least
        }
        if (length < 2 + messageLength) {
            // answer early for what is plainly not a query, rather than wait for a length's worth of bytes
            return length < 2 + HEADER || isQueryHeader(new ByteReader(s, 2, 2 + HEADER)) ? Scan.NEED_MORE : Scan.NO_MATCH;
        }
        return message(new ByteReader(s, 2, 2 + messageLength));
    }

    private static Scan message(ByteReader message) {
        if (!isQueryHeader(message)) {
            return Scan.NO_MATCH;
        }
        StringBuilder name = new StringBuilder();
        int nameLength = 0;
        while (true) {
            int labelLength = message.u8();
            nameLength += 1 + labelLength;
            if (message.malformed() || nameLength > MAX_NAME || labelLength > HostName.MAX_LABEL) {
                return Scan.NO_MATCH; // lengths over 63 are pointers (0xC0) and reserved label types
            }
            if (labelLength == 0) {
                break;
            }
            byte[] label = message.bytes(labelLength);
            for (byte b : label) {
                char c = (char) (b & 0xFF);
                char lower = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
                if (!HostName.isLabelChar(lower)) {
                    return Scan.NO_MATCH;
                }
                name.append(lower);
            }
            name.append('.');
        }
        int type = message.u16();
        message.skip(2); // class
        if (message.malformed()) {
            return Scan.NO_MATCH;
        }
        // canonical already: lower case, and at most 253 characters once the root's dot is dropped;
        // the root itself (e.g. a priming query for its name servers) is no host name
        String host = name.length() == 0 ? null : name.substring(0, name.length() - 1);
        return Scan.match(App.DNS, host, "qtype=" + type);
    }

    /** Reads a header and says whether it is a standard query's with one question and nothing else before it. */
    private static boolean isQueryHeader(ByteReader header) {
        header.skip(2); // id
        int flags = header.u16();
        int questions = header.u16();
        int answers = header.u16();
        int authorities = header.u16();
        header.skip(2); // additional records: EDNS puts its OPT record there
        return !header.malformed() && (flags & (FLAG_QR | OPCODE_MASK | RCODE_MASK)) == 0
                && questions == 1 && answers == 0 && authorities == 0;
    }
}
