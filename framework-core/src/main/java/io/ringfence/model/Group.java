package io.ringfence.model;

import io.swagger.v3.oas.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.ringfence.net.IpPrefix;
import java.util.List;

/**
 * A set of VMs and addresses that rules refer to.
 *
 * <p>Effective members: VMs matched by {@code criteria}, plus static {@code vms}, plus the VMs of
 * nested {@code groups}, less {@code excludedVms} and the VMs of {@code excludedGroups}. The
 * group's address set is the addresses of those VMs' vNICs, plus static {@code addresses} and
 * the static addresses of nested groups, less {@code excludedAddresses} and the address sets of
 * {@code excludedGroups}: exclusions always win. Nesting and exclusion must not form a cycle.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A set of VMs and addresses: criteria, static members, nested groups, exclusions")
public record Group(String id, String name, String description, Criterion criteria, List<String> vms,
                    List<IpPrefix> addresses, List<String> groups, List<String> excludedVms,
                    List<String> excludedGroups, List<IpPrefix> excludedAddresses, @Schema(accessMode = Schema.AccessMode.READ_ONLY, description = "server-assigned; the ETag") long revision)
        implements Entity {

    public Group {
        vms = Lists.copy(vms);
        addresses = Lists.copy(addresses);
        groups = Lists.copy(groups);
        excludedVms = Lists.copy(excludedVms);
        excludedGroups = Lists.copy(excludedGroups);
        excludedAddresses = Lists.copy(excludedAddresses);
    }

    @Override
    public Group withIdentity(String id, long revision) {
        return new Group(id, name, description, criteria, vms, addresses, groups, excludedVms, excludedGroups,
                excludedAddresses, revision);
    }
}
