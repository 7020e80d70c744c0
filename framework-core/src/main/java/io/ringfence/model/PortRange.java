package io.ringfence.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An inclusive range of TCP/UDP ports, written {@code "443"} or {@code "8000-8080"}.
 *
 * @param from first port, 0-65535
 * @param to   last port, {@code from}-65535
 */
public record PortRange(int from, int to) {

    public PortRange {
        if (from < 0 || from > 65535) {
            throw new IllegalArgumentException("port " + from + " is out of range 0-65535");
        }
        if (to < 0 || to > 65535) {
            throw new IllegalArgumentException("port " + to + " is out of range 0-65535");
        }
        if (from > to) {
            throw new IllegalArgumentException("port range " + from + "-" + to + " is reversed");
        }
    }

    @JsonCreator
    public static PortRange parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a port or port range is required");
        }
        String s = text.trim();
        int dash = s.indexOf('-');
        int from = port(dash < 0 ? s : s.substring(0, dash), text);
        int to = dash < 0 ? from : port(s.substring(dash + 1), text);
        return new PortRange(from, to);
    }

    @JsonCreator
    public static PortRange of(int port) {
        return new PortRange(port, port);
    }

    private static int port(String s, String text) {
        String t = s.trim();
        if (t.isEmpty() || t.length() > 6 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + text + "' is not a port or port range (e.g. 443 or 8000-8080)");
        }
        int p = Integer.parseInt(t);
        if (p > 65535) {
            throw new IllegalArgumentException("port " + p + " is out of range 0-65535");
        }
        return p;
    }

    public boolean contains(int port) {
        return port >= from && port <= to;
    }

    @JsonValue
    @Override
    public String toString() {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
