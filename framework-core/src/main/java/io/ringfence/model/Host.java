package io.ringfence.model;

import io.swagger.v3.oas.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.ringfence.net.IpPrefix;

/**
 * A hypervisor: the place where the vNICs of its VMs are enforced.
 *
 * @param id          unique id (server-assigned when absent on create)
 * @param name        display name
 * @param address     management address of the hypervisor, optional
 * @param description free text, optional
 * @param revision    server-assigned revision
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A hypervisor: where the vNICs of its VMs are enforced")
public record Host(String id, String name, IpPrefix address, String description, @Schema(accessMode = Schema.AccessMode.READ_ONLY, description = "server-assigned; the ETag") long revision)
        implements Entity {

    @Override
    public Host withIdentity(String id, long revision) {
        return new Host(id, name, address, description, revision);
    }
}
