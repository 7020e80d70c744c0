package io.ringfence.manager;

import io.ringfence.net.IpPrefix;
import java.util.List;

/**
 * A group's effective members.
 *
 * @param groupId   the group
 * @param revision  the model revision they were computed at
 * @param vms       member VMs, by id
 * @param addresses the group's address set as a minimal list of prefixes (IPv4 first)
 */
public record Members(String groupId, long revision, List<MemberVm> vms, List<IpPrefix> addresses) {

    public Members {
        vms = List.copyOf(vms);
        addresses = List.copyOf(addresses);
    }

    /** A member VM. */
    public record MemberVm(String id, String name) {
    }
}
