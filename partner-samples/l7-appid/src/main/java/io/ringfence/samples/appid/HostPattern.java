package io.ringfence.samples.appid;

import io.ringfence.samples.appid.protocol.HostName;

/**
 * A host name an admin lists in a profile: {@code www.example.com} matches that name only;
 * {@code *.example.com} matches any name one or more labels below {@code example.com}
 * ({@code a.example.com}, {@code a.b.example.com}) but not {@code example.com} itself — list both to
 * cover both. Compared case-insensitively, a trailing dot ignored (see {@link HostName}).
 *
 * @param name     the name, or for a wildcard the name below which it matches; canonical
 * @param wildcard whether it matches the names below {@code name} rather than {@code name}
 */
record HostPattern(String name, boolean wildcard) {

    /** @throws IllegalArgumentException naming what is wrong with {@code text} */
    static HostPattern parse(String text) {
        boolean wildcard = text.startsWith("*.");
        String name = HostName.canonical(wildcard ? text.substring(2) : text);
        if (name == null) {
            throw new IllegalArgumentException("'" + text + "' is not a host name pattern: a host name"
                    + " (labels of letters, digits, '-' and '_', separated by dots) or '*.' followed by one");
        }
        return new HostPattern(name, wildcard);
    }

    /** Whether {@code host} (canonical) matches. */
    boolean matches(String host) {
        return wildcard
                ? host.length() > name.length() + 1 && host.endsWith(name) && host.charAt(host.length() - name.length() - 1) == '.'
                : host.equals(name);
    }

    @Override
    public String toString() {
        return wildcard ? "*." + name : name;
    }
}
