package io.ringfence.samples.appliance;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 prefix in CIDR notation, e.g. {@code 10.0.0.0/24}. */
record Prefix(byte[] network, int length) {

    static Prefix parse(String cidr) {
        int slash = cidr.indexOf('/');
        byte[] address = address(slash < 0 ? cidr : cidr.substring(0, slash));
        int length = slash < 0 ? address.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        if (length < 0 || length > address.length * 8) {
            throw new IllegalArgumentException("bad prefix length: " + cidr);
        }
        return new Prefix(address, length);
    }

    /** An address literal (never a name: nothing is looked up). */
    static byte[] address(String literal) {
        if (literal.isEmpty() || !(literal.indexOf(':') >= 0 || Character.isDigit(literal.charAt(0)))) {
            throw new IllegalArgumentException("not an address: " + literal);
        }
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + literal, e);
        }
    }

    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = length / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = length % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }
}
