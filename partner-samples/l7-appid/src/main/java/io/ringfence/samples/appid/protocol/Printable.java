package io.ringfence.samples.appid.protocol;

/** Untrusted bytes made safe to show in a log line or an alert. */
final class Printable {

    private Printable() {
    }

    /** The bytes as ASCII, each byte outside {@code !..~} shown as {@code ?}. */
    static String of(byte[] bytes) {
        return of(bytes, 0, bytes.length);
    }

    static String of(byte[] bytes, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            int c = bytes[i] & 0xFF;
            out.append(c > 0x20 && c < 0x7F ? (char) c : '?');
        }
        return out.toString();
    }
}
