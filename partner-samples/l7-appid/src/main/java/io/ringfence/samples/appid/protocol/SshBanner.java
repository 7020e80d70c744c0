package io.ringfence.samples.appid.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Recognizes SSH by its protocol version exchange (RFC 4253 §4.2):
 * {@code SSH-protoversion-softwareversion [SP comments] CR LF}, at most 255 characters with the line
 * end. Both sides send one; the server may send other lines before it (which must not begin with
 * {@code SSH-}), the client may not. Lenient where deployed peers are and nothing hides behind it: a
 * bare LF ends the line too, as OpenSSH accepts from old peers, and the software version may hold a
 * {@code -}, as Cisco IOS's {@code SSH-1.99-Cisco-1.25} does.
 */
public final class SshBanner {

    private static final int MAX_LINE = 255;
    private static final byte[] PREFIX = "SSH-".getBytes(StandardCharsets.US_ASCII);

    private SshBanner() {
    }

    /** Scans the first {@code length} bytes the client sent. */
    public static Scan scanClient(byte[] s, int length) {
        return versionLine(s, 0, length);
    }

    /** Scans the first {@code length} bytes the server sent. */
    public static Scan scanServer(byte[] s, int length) {
        int lineStart = 0;
        while (true) {
            int p = lineStart;
            while (p < length && p - lineStart < PREFIX.length && s[p] == PREFIX[p - lineStart]) {
                p++;
            }
            if (p - lineStart == PREFIX.length) {
                return versionLine(s, lineStart, length);
            }
            if (p == length) {
                return Scan.NEED_MORE;
            }
            while (p < length && s[p] != '\n') {
                p++;
            }
            if (p == length) {
                return Scan.NEED_MORE;
            }
            lineStart = p + 1;
        }
    }

    /** Where the version line's reading is: each character moves it on or fails it. */
    private enum Part { PREFIX, PROTO_FIRST, PROTO, SOFTWARE_FIRST, SOFTWARE, COMMENTS, CR }

    private static Scan versionLine(byte[] s, int start, int length) {
        Part part = Part.PREFIX;
        int protoStart = start + PREFIX.length;
        int protoEnd = 0;
        int softwareEnd = 0;
        for (int p = start; p < length; p++) {
            if (p - start >= MAX_LINE) {
                return Scan.NO_MATCH;
            }
            int c = s[p] & 0xFF;
            boolean visible = c > 0x20 && c < 0x7F;
            switch (part) {
                case PREFIX -> {
                    if (c != PREFIX[p - start]) {
                        return Scan.NO_MATCH;
                    }
                    if (p - start == PREFIX.length - 1) {
                        part = Part.PROTO_FIRST;
                    }
                }
                case PROTO_FIRST, PROTO -> {
                    if (c == '-' && part == Part.PROTO) {
                        protoEnd = p;
                        part = Part.SOFTWARE_FIRST;
                    } else if (c >= '0' && c <= '9' || c == '.' && part == Part.PROTO) {
                        part = Part.PROTO;
                    } else {
                        return Scan.NO_MATCH;
                    }
                }
                case SOFTWARE_FIRST, SOFTWARE -> {
                    if (visible && (c != '-' || part == Part.SOFTWARE)) {
                        part = Part.SOFTWARE;
                    } else if (part == Part.SOFTWARE && (c == ' ' || c == '\r' || c == '\n')) {
                        softwareEnd = p;
                        if (c == '\n') {
                            return match(s, protoStart, protoEnd, softwareEnd);
                        }
                        part = c == ' ' ? Part.COMMENTS : Part.CR;
                    } else {
                        return Scan.NO_MATCH;
                    }
                }
                case COMMENTS -> {
                    if (c == '\n') {
                        return match(s, protoStart, protoEnd, softwareEnd);
                    }
                    if (c == '\r') {
                        part = Part.CR;
                    } else if (!visible && c != ' ') {
                        return Scan.NO_MATCH;
                    }
                }
                case CR -> {
                    return c == '\n' ? match(s, protoStart, protoEnd, softwareEnd) : Scan.NO_MATCH;
                }
            }
        }
        return length - start >= MAX_LINE ? Scan.NO_MATCH : Scan.NEED_MORE;
    }

    private static Scan match(byte[] s, int protoStart, int protoEnd, int softwareEnd) {
        String proto = new String(s, protoStart, protoEnd - protoStart, StandardCharsets.US_ASCII);
        String software = new String(s, protoEnd + 1, softwareEnd - protoEnd - 1, StandardCharsets.US_ASCII);
        return Scan.match(App.SSH, null, "SSH-" + proto + " " + software);
    }
}
