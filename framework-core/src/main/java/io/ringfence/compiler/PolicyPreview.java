package io.ringfence.compiler;

import io.ringfence.net.IpPrefix;
import java.util.List;

/**
 * What a proposed change would do to the compiled state, without doing it.
 *
 * @param basedOnGeneration the generation the preview compares against
 * @param vnics             the vNICs whose rule table would change, and how
 * @param addressGroups     the address groups whose addresses would change, and how
 */
public record PolicyPreview(long basedOnGeneration, List<VnicChange> vnics, List<AddressGroupChange> addressGroups) {

    public PolicyPreview {
        vnics = List.copyOf(vnics);
        addressGroups = List.copyOf(addressGroups);
    }

    /**
     * The change to one vNIC's table.
     *
     * @param vnicId   the vNIC
     * @param vmId     its VM
     * @param hostId   its host after the change (before it, for a vNIC that would go away)
     * @param added    entries it would gain
     * @param removed  entries it would lose
     * @param reordered true when entries it keeps would change order (e.g. a policy moved)
     * @param defaultChanged true when its default rule would change
     */
    public record VnicChange(String vnicId, String vmId, String hostId, List<CompiledRule> added,
                             List<CompiledRule> removed, boolean reordered, boolean defaultChanged) {
        public VnicChange {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }
    }

    /**
     * The change to one address group.
     *
     * @param id      the address group
     * @param added   prefixes it would gain (minimal)
     * @param removed prefixes it would lose (minimal)
     */
    public record AddressGroupChange(String id, List<IpPrefix> added, List<IpPrefix> removed) {
        public AddressGroupChange {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }
    }
}
