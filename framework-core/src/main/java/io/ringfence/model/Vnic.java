package io.ringfence.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ringfence.net.IpPrefix;
import java.util.List;

/**
 * A virtual NIC of a VM: the unit of enforcement (every vNIC has its own perimeter).
 *
 * @param id        unique id across the data center (server-assigned when absent)
 * @param mac       MAC address
 * @param addresses the vNIC's IPv4 and IPv6 addresses (single addresses, no prefixes)
 * @param segment   the logical segment (network) the vNIC is attached to
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Vnic(String id, MacAddress mac, List<IpPrefix> addresses, String segment) {

    public Vnic {
        addresses = Lists.copy(addresses);
    }

    public Vnic withId(String newId) {
        return new Vnic(newId, mac, addresses, segment);
    }
}
