package io.ringfence.rest.internal.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ringfence.compiler.CompiledRule;
import io.ringfence.compiler.PolicyPreview;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.model.Kind;
import io.ringfence.model.Vm;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * What a previewed change would do to the compiled rules: the policy compiler's preview, with each
 * vNIC's VM named.
 *
 * @param basedOnGeneration the compiler generation the preview compares against
 * @param vnics             the vNICs whose rule table would change, and how
 * @param addressGroups     the address groups whose addresses would change, and how
 */
@Schema(description = "What a change would do to the compiled rules; nothing is changed")
public record PolicyPreviewResult(long basedOnGeneration, List<VnicChange> vnics,
                                  List<PolicyPreview.AddressGroupChange> addressGroups) {

    public PolicyPreviewResult {
        vnics = List.copyOf(vnics);
        addressGroups = List.copyOf(addressGroups);
    }

    /**
     * The compiler's preview, naming each VM from the proposed model (or, for a VM the change
     * deletes, from the current one).
     */
    static PolicyPreviewResult of(PolicyPreview preview, ModelSnapshot proposed, ModelSnapshot current) {
        return new PolicyPreviewResult(preview.basedOnGeneration(), preview.vnics().stream().map(v -> new VnicChange(
                v.vnicId(), v.vmId(), vmName(v.vmId(), proposed, current), v.hostId(), v.added(), v.removed(),
                v.reordered(), v.defaultChanged())).toList(), preview.addressGroups());
    }

    private static String vmName(String vmId, ModelSnapshot proposed, ModelSnapshot current) {
        return proposed.find(Kind.VM, vmId).or(() -> current.find(Kind.VM, vmId)).map(Vm::name).orElse(null);
    }

    /**
     * The change to one vNIC's table. Entries carry their direction; the remote side is an address
     * group id (absent: any address).
     *
     * @param vnicId         the vNIC
     * @param vmId           its VM
     * @param vmName         the VM's name
     * @param hostId         its host (after the change)
     * @param added          entries it would gain
     * @param removed        entries it would lose
     * @param reordered      true when entries it keeps would change order (e.g. a policy moved)
     * @param defaultChanged true when its default rule would change
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "How one vNIC's rule table would change")
    public record VnicChange(String vnicId, String vmId, String vmName, String hostId, List<CompiledRule> added,
                             List<CompiledRule> removed, boolean reordered, boolean defaultChanged) {

        public VnicChange {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }
    }
}
