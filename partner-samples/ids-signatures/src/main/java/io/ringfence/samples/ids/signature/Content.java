package io.ringfence.samples.ids.signature;

import java.util.Arrays;

/**
 * One content string of a signature.
 *
 * @param bytes  what to find; copied
 * @param nocase whether ASCII letters match regardless of case
 */
public record Content(byte[] bytes, boolean nocase) {

    /** Longest content, which also bounds the stream position a session exports per side. */
    public static final int MAX_LENGTH = 255;

    /** @throws IllegalArgumentException if empty or longer than {@link #MAX_LENGTH} */
    public Content {
        if (bytes.length == 0 || bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("a content has 1 to " + MAX_LENGTH + " bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The number of bytes. */
    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Content c && nocase == c.nocase && Arrays.equals(bytes, c.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(bytes) + Boolean.hashCode(nocase);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("content:\"");
        boolean inHex = false;
        for (byte b : bytes) {
            int c = b & 0xFF;
            boolean printable = c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '|';
            if (printable == inHex) {
                s.append('|');
                inHex = !inHex;
            } else if (inHex) {
                s.append(' ');
            }
            s.append(printable ? Character.toString(c) : String.format("%02x", c));
        }
        s.append(inHex ? "|\"" : "\"");
        return nocase ? s + "; nocase" : s.toString();
    }
}
