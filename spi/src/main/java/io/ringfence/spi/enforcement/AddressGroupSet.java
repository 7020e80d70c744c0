package io.ringfence.spi.enforcement;

import java.util.List;

/**
 * The addresses of an address group, as a minimal list of prefixes (IPv4 first).
 *
 * @param id       the group's id as rule sets name it
 * @param prefixes CIDR prefixes, e.g. {@code 10.0.0.0/24}, {@code 2001:db8::/64}
 */
public record AddressGroupSet(String id, List<String> prefixes) {

    public AddressGroupSet {
        prefixes = List.copyOf(prefixes);
    }
}
