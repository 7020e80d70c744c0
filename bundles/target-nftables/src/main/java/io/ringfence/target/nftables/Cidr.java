package io.ringfence.target.nftables;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An address prefix checked and rewritten by us before it reaches an nft script: whatever text
 * the SPI hands over, only what we print from the parsed bytes goes out.
 *
 * @param ipv6   the family
 * @param text   the canonical text, host bits cleared, e.g. {@code 10.0.0.0/24}
 */
record Cidr(boolean ipv6, String text) {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    /** Hex digits and colons (and a dotted IPv4 tail): such a string is never looked up as a host name. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** @throws IllegalArgumentException for anything but an IPv4 or IPv6 address with an optional length */
    static Cidr parse(String text) {
        String s = text == null ? "" : text.trim();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        boolean v6;
        if (IPV4.matcher(address).matches()) {
            v6 = false;
            for (String octet : address.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException("not an address: " + text);
                }
            }
        } else if (IPV6.matcher(address).matches()) {
            v6 = true;
        } else {
            throw new IllegalArgumentException("not an address: " + text);
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + text, e);
        }
        if (bytes.length != (v6 ? 16 : 4)) {
            throw new IllegalArgumentException("not an address of its family: " + text);
        }
        int bits = bytes.length * 8;
        int length;
        try {
            length = slash < 0 ? bits : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a prefix length: " + text, e);
        }
        if (length < 0 || length > bits) {
            throw new IllegalArgumentException("prefix length out of range: " + text);
        }
        BigInteger value = new BigInteger(1, bytes);
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits - length).subtract(BigInteger.ONE));
        byte[] masked = value.and(mask).toByteArray();
        byte[] out = new byte[bytes.length];
        int copy = Math.min(masked.length, out.length);
        System.arraycopy(masked, masked.length - copy, out, out.length - copy, copy);
        try {
            return new Cidr(v6, InetAddress.getByAddress(out).getHostAddress() + "/" + length);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
