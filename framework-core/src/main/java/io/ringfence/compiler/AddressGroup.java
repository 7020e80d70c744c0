package io.ringfence.compiler;

import io.ringfence.net.AddressSet;
import java.util.List;

/**
 * The addresses one side of rules refers to: the union of the address sets of a list of groups.
 *
 * @param id         stable id, derived from the group ids
 * @param groupIds   the groups, sorted
 * @param addresses  their addresses (IPv4 and IPv6), as an exact set
 * @param generation the generation that last changed it
 */
public record AddressGroup(String id, List<String> groupIds, AddressSet addresses, long generation) {

    public AddressGroup {
        groupIds = List.copyOf(groupIds);
    }

    /** The id of the address group of a side that names {@code sortedGroupIds}. */
    public static String idOf(List<String> sortedGroupIds) {
        return String.join("+", sortedGroupIds);
    }
}
