package io.ringfence.dataplane.target;

import io.ringfence.net.AddressSet;
import io.ringfence.net.IpPrefix;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The address sets of the address groups that updates carry as text, parsed once for all the
 * agents of a data center. An address group goes to every host whose vNICs name it (a tier group,
 * an environment: hundreds of hosts, thousands of prefixes); parsing it for each agent made a full
 * resync of 1,000 agents a matter of minutes. Keyed by content, so it is right whoever sent the
 * list; bounded by forgetting everything past {@link #MAX_SETS} (the sets of the live groups are
 * parsed again once).
 */
final class ParsedAddressSets {

    static final int MAX_SETS = 10_000;

    private final Map<List<String>, AddressSet> sets = new ConcurrentHashMap<>();

    /**
     * @throws IllegalArgumentException for a malformed prefix
     */
    AddressSet of(List<String> prefixes) {
        AddressSet known = sets.get(prefixes);
        if (known != null) {
            return known;
        }
        AddressSet parsed = AddressSet.of(prefixes.stream().map(IpPrefix::parse).toList());
        if (sets.size() >= MAX_SETS) {
            sets.clear();
        }
        sets.put(List.copyOf(prefixes), parsed);
        return parsed;
    }
}
