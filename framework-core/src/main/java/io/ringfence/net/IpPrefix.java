package io.ringfence.net;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An IPv4 or IPv6 prefix (CIDR block); a single address is a prefix of full length.
 *
 * <p>The address is held as an unsigned 128-bit number in two longs ({@code high} is always 0
 * for IPv4), so that prefixes of both families share one arithmetic. Parsing is strict and never
 * touches DNS: {@code 10.1.2.0/24}, {@code 10.1.2.3}, {@code 2001:db8::/32}, {@code ::1}. A prefix
 * whose host bits are set ({@code 10.1.2.3/24}) is rejected rather than silently truncated, as a
 * typo there would otherwise widen a firewall rule. The text form is canonical (RFC 5952 for
 * IPv6) and omits the length for single addresses.
 */
public record IpPrefix(IpFamily family, long high, long low, int length) implements Comparable<IpPrefix> {

    public IpPrefix {
        if (family == null) {
            throw new IllegalArgumentException("family is required");
        }
        if (length < 0 || length > family.bits()) {
            throw new IllegalArgumentException("prefix length " + length + " is out of range 0-" + family.bits());
        }
        if (family == IpFamily.IPV4 && (high != 0 || (low >>> 32) != 0)) {
            throw new IllegalArgumentException("IPv4 address out of range");
        }
        if (!U128.isZero(U128.and(high, low, hostMaskHigh(family, length), hostMaskLow(family, length)))) {
            throw new IllegalArgumentException("host bits are set in " + format(family, high, low, length)
                    + "; the network is " + format(family, high & ~hostMaskHigh(family, length),
                    low & ~hostMaskLow(family, length), length));
        }
    }

    /**
     * Parses {@code address} or {@code address/length}.
     *
     * @throws IllegalArgumentException with a message naming what is wrong
     */
    @JsonCreator
    public static IpPrefix parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an IP address or CIDR is required");
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        IpPrefix host = s.indexOf(':') >= 0 ? parseIpv6(address, text) : parseIpv4(address, text);
        if (slash < 0) {
            return host;
        }
        String len = s.substring(slash + 1);
        if (len.isEmpty() || len.length() > 3 || !isAsciiDigits(len)) {
            throw new IllegalArgumentException("'" + text + "' has an invalid prefix length");
        }
        int length = Integer.parseInt(len);
        if (length > host.family.bits()) {
            throw new IllegalArgumentException("'" + text + "': prefix length " + length
                    + " exceeds " + host.family.bits());
        }
        return new IpPrefix(host.family, host.high, host.low, length);
    }

    /** The prefix covering exactly one address. */
    public static IpPrefix host(IpFamily family, long high, long low) {
        return new IpPrefix(family, high, low, family.bits());
    }

    /** True when this prefix is a single address. */
    public boolean isHost() {
        return length == family.bits();
    }

    /** The first address of the block, as a 128-bit value: {@code [high, low]}. */
    public long[] first() {
        return new long[] {high, low};
    }

    /** The last address of the block, as a 128-bit value: {@code [high, low]}. */
    public long[] last() {
        return new long[] {high | hostMaskHigh(family, length), low | hostMaskLow(family, length)};
    }

    /** True when {@code other} (same family) lies entirely inside this prefix. */
    public boolean contains(IpPrefix other) {
        if (other.family != family || other.length < length) {
            return false;
        }
        long mh = ~hostMaskHigh(family, length);
        long ml = ~hostMaskLow(family, length);
        return (other.high & mh) == high && (other.low & ml) == low;
    }

    @Override
    public int compareTo(IpPrefix o) {
        int c = family.compareTo(o.family);
        if (c == 0) {
            c = U128.compare(high, low, o.high, o.low);
        }
        return c != 0 ? c : Integer.compare(length, o.length);
    }

    @JsonValue
    @Override
    public String toString() {
        return format(family, high, low, length);
    }

    static long hostMaskHigh(IpFamily family, int length) {
        if (family == IpFamily.IPV4) {
            return 0;
        }
        if (length >= 64) {
            return 0;
        }
        return length == 0 ? -1L : -1L >>> length;
    }

    static long hostMaskLow(IpFamily family, int length) {
        if (family == IpFamily.IPV4) {
            return length == 0 ? 0xFFFF_FFFFL : (0xFFFF_FFFFL >>> length);
        }
        if (length <= 64) {
            return -1L;
        }
        return length == 128 ? 0 : -1L >>> (length - 64);
    }

    private static IpPrefix parseIpv4(String address, String text) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !isAsciiDigits(part)
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                throw new IllegalArgumentException("'" + text + "' is not a valid IPv4 address");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("'" + text + "': octet " + octet + " is out of range 0-255");
            }
            value = (value << 8) | octet;
        }
        return host(IpFamily.IPV4, 0, value);
    }

    private static IpPrefix parseIpv6(String address, String text) {
        String s = address;
        int[] groups = new int[8];
        // an embedded IPv4 tail (::ffff:10.0.0.1) stands for the last two groups
        long ipv4Tail = -1;
        int lastColon = s.lastIndexOf(':');
        if (s.indexOf('.', lastColon) >= 0) {
            ipv4Tail = parseIpv4(s.substring(lastColon + 1), text).low;
            s = s.substring(0, lastColon + 1) + "0:0";
        }
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            throw new IllegalArgumentException("'" + text + "' has more than one '::'");
        }
        String[] head;
        String[] tail;
        if (doubleColon >= 0) {
            head = splitGroups(s.substring(0, doubleColon), text);
            tail = splitGroups(s.substring(doubleColon + 2), text);
            if (head.length + tail.length > 7) {
                throw new IllegalArgumentException("'" + text + "' has too many groups");
            }
        } else {
            head = splitGroups(s, text);
            tail = new String[0];
            if (head.length != 8) {
                throw new IllegalArgumentException("'" + text + "' is not a valid IPv6 address");
            }
        }
        for (int i = 0; i < head.length; i++) {
            groups[i] = parseGroup(head[i], text);
        }
        for (int i = 0; i < tail.length; i++) {
            groups[8 - tail.length + i] = parseGroup(tail[i], text);
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 4; i++) {
            high = (high << 16) | groups[i];
            low = (low << 16) | groups[i + 4];
        }
        if (ipv4Tail >= 0) {
            low = (low & 0xFFFF_FFFF_0000_0000L) | ipv4Tail;
        }
        return host(IpFamily.IPV6, high, low);
    }

    private static String[] splitGroups(String s, String text) {
        if (s.isEmpty()) {
            return new String[0];
        }
        String[] parts = s.split(":", -1);
        for (String p : parts) {
            if (p.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "' is not a valid IPv6 address");
            }
        }
        return parts;
    }

    private static int parseGroup(String group, String text) {
        if (group.length() > 4) {
            throw new IllegalArgumentException("'" + text + "': group '" + group + "' is longer than 4 hex digits");
        }
        int value = 0;
        for (int i = 0; i < group.length(); i++) {
            char c = group.charAt(i);
            // ASCII only: Character.digit would also take full-width and other Unicode digits
            int d = c < 0x80 ? Character.digit(c, 16) : -1;
            if (d < 0) {
                throw new IllegalArgumentException("'" + text + "' is not a valid IPv6 address");
            }
            value = (value << 4) | d;
        }
        return value;
    }

    /** True when {@code s} is made of ASCII digits only (Character.isDigit takes any Unicode digit). */
    private static boolean isAsciiDigits(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    static String format(IpFamily family, long high, long low, int length) {
        StringBuilder sb = new StringBuilder(family == IpFamily.IPV4 ? 18 : 43);
        if (family == IpFamily.IPV4) {
            sb.append((low >>> 24) & 0xFF).append('.').append((low >>> 16) & 0xFF).append('.')
                    .append((low >>> 8) & 0xFF).append('.').append(low & 0xFF);
        } else {
            formatIpv6(sb, high, low);
        }
        if (length != family.bits()) {
            sb.append('/').append(length);
        }
        return sb.toString();
    }

    /** RFC 5952: lower case, no leading zeros, the longest run (leftmost on a tie) of two or more zero groups as "::". */
    private static void formatIpv6(StringBuilder sb, long high, long low) {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) ((high >>> (48 - 16 * i)) & 0xFFFF);
            g[i + 4] = (int) ((low >>> (48 - 16 * i)) & 0xFFFF);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
    }
}
