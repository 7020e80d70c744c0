package io.ringfence.compiler;

import io.ringfence.model.Action;
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
 * @param defaultAction        the default rule's action as of {@code generation}: what the host
 *                             enforces on a vNIC before it has the vNIC's rule set (every delta
 *                             carries it, so that the host knows it before its first vNIC)
 * @param defaultLogged        whether the default rule logs the flows it allows
 */
public record HostDelta(String hostId, long generation, boolean full, List<VnicRuleSet> ruleSets,
                        List<String> removedVnics, List<AddressGroup> addressGroups, List<String> removedAddressGroups,
                        Action defaultAction, boolean defaultLogged) {

    public HostDelta {
        ruleSets = List.copyOf(ruleSets);
        removedVnics = List.copyOf(removedVnics);
        addressGroups = List.copyOf(addressGroups);
        removedAddressGroups = List.copyOf(removedAddressGroups);
        if (defaultAction == null) {
            throw new IllegalArgumentException("the delta of host " + hostId + " has no default action");
        }
    }

    /**
     * A delta under the initial default rule (DROP, drops logged).
     *
     * @since 0.4.0
     */
    public HostDelta(String hostId, long generation, boolean full, List<VnicRuleSet> ruleSets,
                     List<String> removedVnics, List<AddressGroup> addressGroups, List<String> removedAddressGroups) {
        this(hostId, generation, full, ruleSets, removedVnics, addressGroups, removedAddressGroups, Action.DROP, false);
    }

    public boolean isEmpty() {
        return !full && ruleSets.isEmpty() && removedVnics.isEmpty() && addressGroups.isEmpty()
                && removedAddressGroups.isEmpty();
    }
}
