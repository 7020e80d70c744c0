package io.ringfence.samples.appid.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Recognizes HTTP/1.x by the request head (RFC 9112 §2–§3, §5): request line, then header fields up
 * to the empty line. The host is the request target's authority when the target has one
 * (absolute-form, or CONNECT's authority-form: RFC 9112 §3.2.2 makes a server ignore Host then),
 * else the Host field; port removed, canonical (see {@link HostName}); IP literals kept as written
 * ({@code 192.0.2.1}, {@code [2001:db8::1]}).
 *
 * <p>The whole head must arrive, so that a second Host field is seen (RFC 9112 §3.2 makes that a bad
 * request). Malformed heads do not match: whitespace before a field's colon or a folded line
 * (§5.1, §5.2), control characters, an unknown target form, a malformed host. A bare LF ends a line
 * as CRLF does, as servers accept it (§2.2); a bare CR does not.
 */
public final class HttpRequest {

    private static final int MAX_METHOD = 20;
    private static final byte[] VERSION_PREFIX = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
    /** {@link #lineEnd} results that are not a position. */
    private static final int NEED_MORE = -1;
    private static final int MALFORMED = -2;
    private static final int NOT_AT_END = -3;

    private HttpRequest() {
    }

    /** Scans the first {@code length} bytes the client sent. */
    public static Scan scan(byte[] s, int length) {
        int p = 0;
        while (p < length && isMethodChar(s[p])) {
            if (++p > MAX_METHOD) {
                return Scan.NO_MATCH;
            }
        }
        if (p == length) {
            return Scan.NEED_MORE;
        }
        if (p == 0 || s[p] != ' ') {
            return Scan.NO_MATCH;
        }
        String method = ascii(s, 0, p);
        int targetStart = ++p;
        while (p < length && s[p] > 0x20 && s[p] < 0x7F) {
            p++;
        }
        if (p == length) {
            return Scan.NEED_MORE;
        }
        if (p == targetStart || s[p] != ' ') {
            return Scan.NO_MATCH;
        }
        String target = ascii(s, targetStart, p);
        p++;
        for (byte expected : VERSION_PREFIX) {
            if (p == length) {
                return Scan.NEED_MORE;
            }
            if (s[p++] != expected) {
                return Scan.NO_MATCH;
            }
        }
        if (p == length) {
            return Scan.NEED_MORE;
        }
        if (s[p] < '0' || s[p] > '9') {
            return Scan.NO_MATCH;
        }
        p = lineEnd(s, p + 1, length);
        if (p < 0) {
            return p == NEED_MORE ? Scan.NEED_MORE : Scan.NO_MATCH;
        }

        String hostField = null;
        while (true) {
            int end = lineEnd(s, p, length);
            if (end == NEED_MORE) {
                return Scan.NEED_MORE;
            }
            if (end == MALFORMED) {
                return Scan.NO_MATCH;
            }
            if (end >= 0) {
                break; // the empty line: end of the head
            }
            int nameStart = p;
            while (p < length && isTokenChar(s[p])) {
                p++;
            }
            if (p == length) {
                return Scan.NEED_MORE;
            }
            if (p == nameStart || s[p] != ':') {
                return Scan.NO_MATCH; // also a folded line (starts with SP or HTAB) and space before the colon
            }
            String name = ascii(s, nameStart, p);
            int valueStart = ++p;
            while (p < length && isFieldValueChar(s[p])) {
                p++;
            }
            int valueEnd = p;
            p = lineEnd(s, p, length);
            if (p < 0) {
                return p == NEED_MORE ? Scan.NEED_MORE : Scan.NO_MATCH;
            }
            if (name.equalsIgnoreCase("host")) {
                if (hostField != null) {
                    return Scan.NO_MATCH;
                }
                hostField = ascii(s, valueStart, valueEnd).strip();
            }
        }
        return request(method, target, hostField);
    }

    private static Scan request(String method, String target, String hostField) {
        String authority;
        if (method.equals("CONNECT")) {
            authority = target;
        } else if (target.startsWith("/") || target.equals("*")) {
            authority = hostField == null || hostField.isEmpty() ? null : hostField;
        } else {
            String lower = target.toLowerCase(Locale.ROOT);
            int schemeEnd = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
            if (schemeEnd < 0) {
                return Scan.NO_MATCH;
            }
            int end = schemeEnd;
            while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
                end++;
            }
            authority = target.substring(schemeEnd, end);
        }
        if (authority == null) {
            return Scan.match(App.HTTP, null, method);
        }
        String host = authorityHost(authority);
        return host == null ? Scan.NO_MATCH : Scan.match(App.HTTP, host, method);
    }

    /** The host of {@code host[:port]}, canonical or an IP literal; null if malformed (userinfo included). */
    private static String authorityHost(String authority) {
        String host;
        String rest;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 2 || !authority.substring(1, close).chars()
                    .allMatch(c -> c == ':' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return null;
            }
            host = authority.substring(0, close + 1).toLowerCase(Locale.ROOT);
            rest = authority.substring(close + 1);
        } else {
            int colon = authority.indexOf(':');
            host = HostName.canonical(colon < 0 ? authority : authority.substring(0, colon));
            rest = colon < 0 ? "" : authority.substring(colon);
        }
        boolean portOk = rest.isEmpty() || rest.length() <= 6 && rest.charAt(0) == ':'
                && rest.substring(1).chars().allMatch(c -> c >= '0' && c <= '9');
        return portOk ? host : null;
    }

    /**
     * Where the line ending at {@code p} ends: the position after its CRLF or LF; {@link #NOT_AT_END}
     * if {@code p} is not at a line end; {@link #MALFORMED} for a bare CR; {@link #NEED_MORE} if the
     * bytes stop first.
     */
    private static int lineEnd(byte[] s, int p, int length) {
        if (p == length) {
            return NEED_MORE;
        }
        if (s[p] == '\n') {
            return p + 1;
        }
        if (s[p] != '\r') {
            return NOT_AT_END;
        }
        if (p + 1 == length) {
            return NEED_MORE;
        }
        return s[p + 1] == '\n' ? p + 2 : MALFORMED;
    }

    /** Methods are tokens; by convention (and in every registered method) upper-case letters, {@code -} and {@code _}. */
    private static boolean isMethodChar(byte b) {
        return b >= 'A' && b <= 'Z' || b == '-' || b == '_';
    }

    /** RFC 9110 §5.6.2 tchar. */
    private static boolean isTokenChar(byte b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
    }

    /** RFC 9110 §5.5: HTAB, SP, VCHAR, obs-text. */
    private static boolean isFieldValueChar(byte b) {
        return b == '\t' || b >= 0x20 && b != 0x7F || b < 0;
    }

    private static String ascii(byte[] s, int from, int to) {
        return new String(s, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
