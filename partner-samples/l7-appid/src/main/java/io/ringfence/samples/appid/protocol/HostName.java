package io.ringfence.samples.appid.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Host names in canonical form, so that one name has one spelling when it is compared with an
 * admin's patterns: ASCII lower case, without the trailing dot of a fully qualified name, labels of
 * 1 to 63 letters, digits, {@code -} and {@code _} (the underscore appears in real names, e.g. SRV and
 * DKIM records), at most 253 characters. Internationalized names travel in their ASCII (punycode,
 * {@code xn--}) form in TLS, HTTP and DNS, and are compared in that form.
 */
public final class HostName {

    static final int MAX_LENGTH = 253;
    static final int MAX_LABEL = 63;

    private HostName() {
    }

    /** The canonical form of {@code name}, or null if it is not a host name. */
    public static String canonical(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty() || n.length() > MAX_LENGTH) {
            return null;
        }
        StringBuilder out = new StringBuilder(n.length());
        int labelLength = 0;
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c == '.') {
                if (labelLength == 0) {
                    return null;
                }
                labelLength = 0;
                out.append(c);
                continue;
            }
            char lower = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            if (!isLabelChar(lower) || ++labelLength > MAX_LABEL) {
                return null;
            }
            out.append(lower);
        }
        return labelLength == 0 ? null : out.toString();
    }

    /** The canonical form of a name received as bytes (ISO-8859-1 keeps every byte one char, so non-ASCII is refused). */
    static String canonical(byte[] name) {
        return canonical(new String(name, StandardCharsets.ISO_8859_1));
    }

    /** True for a label character of a canonical name: {@code a-z 0-9 - _}. */
    public static boolean isLabelChar(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    /** True when a canonical name is a dotted-quad IPv4 literal rather than a name. */
    static boolean isIpv4Literal(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }
}
