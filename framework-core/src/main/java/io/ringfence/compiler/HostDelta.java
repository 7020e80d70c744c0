package io.ringfence.compiler;

import java.util.List;

/**
 * What changed for one host in one generation, or (when {@code full}) everything the host enforces.
 *
 * @param hostId               the host
 * @param generation           the generation of the change (the newest the host now has)
 * @param full                 the host's whole state: anything it holds that is not listed is gone
 * @param ruleSets             vNIC rule sets that are new or changed on this host
 * @param removedVnics         vNICs that left this host (deleted, or moved elsewhere)
 * @param addressGroups        address groups that are new to this host or changed
 * @param removedAddressGroups address groups no vNIC of this host refers to any more
 */
public record HostDelta(String hostId, long generation, boolean full, List<VnicRuleSet> ruleSets,
                        List<String> removedVnics, List<AddressGroup> addressGroups, List<String> removedAddressGroups) {

    public HostDelta {
        ruleSets = List.copyOf(ruleSets);
        removedVnics = List.copyOf(removedVnics);
        addressGroups = List.copyOf(addressGroups);
        removedAddressGroups = List.copyOf(removedAddressGroups);
    }

    public boolean isEmpty() {
        return !full && ruleSets.isEmpty() && removedVnics.isEmpty() && addressGroups.isEmpty()
                && removedAddressGroups.isEmpty();
    }
}
