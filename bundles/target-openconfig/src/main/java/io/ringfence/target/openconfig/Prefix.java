package io.ringfence.target.openconfig;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 prefix, read from the SPI's CIDR text and printed the way the OpenConfig
 * {@code ipv4-prefix} / {@code ipv6-prefix} types take it (IPv6 in RFC 5952 form, which their
 * patterns accept, unlike dotted IPv4-in-IPv6). Host bits are cleared: devices match the network.
 *
 * @param network the first address, as an unsigned number
 */
record Prefix(Family family, BigInteger network, int length) {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_TEXT = Pattern.compile("[0-9A-Fa-f:.]+");

    static final Comparator<Prefix> BY_START = Comparator.comparing(Prefix::network).thenComparingInt(Prefix::length);

    Prefix {
        if (length < 0 || length > family.bits) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for " + family);
        }
        network = network.and(mask(family, length));
    }

    /** The whole address space of a family. */
    static Prefix any(Family family) {
        return new Prefix(family, BigInteger.ZERO, 0);
    }

    /**
     * Reads {@code a.b.c.d/n}, {@code x:y::z/n}, or an address alone (a host prefix).
     *
     * @throws IllegalArgumentException if the text is not one
     */
    static Prefix parse(String cidr) {
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        Family family = address.indexOf(':') >= 0 ? Family.IPV6 : Family.IPV4;
        int length = family.bits;
        if (slash >= 0) {
            String len = cidr.substring(slash + 1);
            if (!len.matches("\\d{1,3}")) {
                throw new IllegalArgumentException("malformed prefix length in " + cidr);
            }
            length = Integer.parseInt(len);
            if (length > family.bits) {
                throw new IllegalArgumentException("prefix length over " + family.bits + " in " + cidr);
            }
        }
        BigInteger value = family == Family.IPV4 ? ipv4(address, cidr) : ipv6(address, cidr);
        return new Prefix(family, value, length);
    }

    private static BigInteger ipv4(String address, String cidr) {
        Matcher m = IPV4.matcher(address);
        if (!m.matches()) {
            throw new IllegalArgumentException("malformed address in " + cidr);
        }
        long value = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                throw new IllegalArgumentException("malformed address in " + cidr);
            }
            value = value << 8 | octet;
        }
        return BigInteger.valueOf(value);
    }

    private static BigInteger ipv6(String address, String cidr) {
        // the pattern keeps host names away from InetAddress: a literal is parsed, never looked up
        if (!IPV6_TEXT.matcher(address).matches()) {
            throw new IllegalArgumentException("malformed address in " + cidr);
        }
        try {
            InetAddress parsed = InetAddress.getByName(address);
            byte[] bytes = parsed.getAddress();
            if (!(parsed instanceof Inet6Address)) {
                // ::ffff:a.b.c.d comes back as IPv4: keep it as the IPv6 address it was written as
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                bytes = mapped;
            }
            return new BigInteger(1, bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("malformed address in " + cidr, e);
        }
    }

    /** The last address of the prefix. */
    BigInteger last() {
        return network.add(size()).subtract(BigInteger.ONE);
    }

    private BigInteger size() {
        return BigInteger.ONE.shiftLeft(family.bits - length);
    }

    /**
     * The prefixes that cover exactly what the given ones do not, in address order: what "not in
     * the group" means to an ACL, which cannot skip an entry. At most about {@code bits} prefixes
     * per gap between the given ones.
     *
     * @param prefixes of this family, in any order, overlapping or not
     * @param cap      stop after this many and one more (the caller refuses that many anyway)
     */
    static List<Prefix> complement(Family family, Collection<Prefix> prefixes, int cap) {
        List<Prefix> sorted = prefixes.stream().sorted(BY_START).toList();
        List<Prefix> out = new ArrayList<>();
        BigInteger next = BigInteger.ZERO;
        for (Prefix p : sorted) {
            if (p.network.compareTo(next) > 0) {
                cover(family, next, p.network.subtract(BigInteger.ONE), out, cap);
            }
            BigInteger after = p.last().add(BigInteger.ONE);
            if (after.compareTo(next) > 0) {
                next = after;
            }
            if (out.size() > cap) {
                return out;
            }
        }
        BigInteger end = BigInteger.ONE.shiftLeft(family.bits).subtract(BigInteger.ONE);
        if (next.compareTo(end) <= 0) {
            cover(family, next, end, out, cap);
        }
        return out;
    }

    /** Appends the fewest prefixes that cover {@code [from, to]}. */
    private static void cover(Family family, BigInteger from, BigInteger to, List<Prefix> out, int cap) {
        BigInteger start = from;
        while (start.compareTo(to) <= 0 && out.size() <= cap) {
            int alignment = start.signum() == 0 ? family.bits : start.getLowestSetBit();
            int fits = to.subtract(start).add(BigInteger.ONE).bitLength() - 1;
            int hostBits = Math.min(alignment, fits);
            out.add(new Prefix(family, start, family.bits - hostBits));
            start = start.add(BigInteger.ONE.shiftLeft(hostBits));
        }
    }

    private static BigInteger mask(Family family, int length) {
        BigInteger all = BigInteger.ONE.shiftLeft(family.bits).subtract(BigInteger.ONE);
        return all.shiftRight(family.bits - length).shiftLeft(family.bits - length);
    }

    /** {@code 10.0.0.0/8}, {@code 2001:db8::/32}. */
    @Override
    public String toString() {
        return (family == Family.IPV4 ? formatIpv4() : formatIpv6()) + "/" + length;
    }

    private String formatIpv4() {
        long v = network.longValue();
        return (v >>> 24 & 0xff) + "." + (v >>> 16 & 0xff) + "." + (v >>> 8 & 0xff) + "." + (v & 0xff);
    }

    /** RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups as {@code ::}. */
    private String formatIpv6() {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = network.shiftRight(112 - 16 * i).intValue() & 0xffff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
