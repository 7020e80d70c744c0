package io.ringfence.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A 48-bit MAC address; accepts {@code aa:bb:cc:dd:ee:ff} or {@code aa-bb-cc-dd-ee-ff} in any
 * case and prints lower case with colons.
 */
public record MacAddress(long value) {

    public MacAddress {
        if ((value >>> 48) != 0) {
            throw new IllegalArgumentException("MAC address out of range");
        }
    }

    @JsonCreator
    public static MacAddress parse(String text) {
        if (text == null || text.length() != 17) {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address (expected aa:bb:cc:dd:ee:ff)");
        }
        char sep = text.charAt(2);
        if (sep != ':' && sep != '-') {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address (expected aa:bb:cc:dd:ee:ff)");
        }
        long v = 0;
        for (int i = 0; i < 6; i++) {
            int hi = hexDigit(text.charAt(i * 3));
            int lo = hexDigit(text.charAt(i * 3 + 1));
            if (hi < 0 || lo < 0 || (i < 5 && text.charAt(i * 3 + 2) != sep)) {
                throw new IllegalArgumentException("'" + text + "' is not a MAC address (expected aa:bb:cc:dd:ee:ff)");
            }
            v = (v << 8) | (hi << 4) | lo;
        }
        return new MacAddress(v);
    }

    /** The value of an ASCII hex digit, or -1 (Character.digit would also take full-width digits). */
    private static int hexDigit(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    /** True for a multicast or broadcast address (the I/G bit set), which no vNIC can own. */
    public boolean isMulticast() {
        return ((value >>> 40) & 1) == 1;
    }

    @JsonValue
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int b = (int) ((value >>> (8 * i)) & 0xFF);
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
