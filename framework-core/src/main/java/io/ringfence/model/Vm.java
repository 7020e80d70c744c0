package io.ringfence.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A virtual machine: its name, tags and OS drive dynamic group membership; its host says
 * where its vNICs are enforced.
 *
 * @param id       unique id (server-assigned when absent on create)
 * @param name     VM name
 * @param hostId   the host it runs on
 * @param os       guest operating system, optional
 * @param tags     tags, conventionally {@code scope:value} (e.g. {@code app:web}); no duplicates
 * @param vnics    its vNICs
 * @param revision server-assigned revision
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Vm(String id, String name, String hostId, String os, List<String> tags, List<Vnic> vnics,
                 long revision) implements Entity {

    public Vm {
        tags = Lists.copy(tags);
        vnics = Lists.copy(vnics);
    }

    @Override
    public Vm withIdentity(String id, long revision) {
        return new Vm(id, name, hostId, os, tags, vnics, revision);
    }

    public Vm withVnics(List<Vnic> newVnics) {
        return new Vm(id, name, hostId, os, tags, newVnics, revision);
    }
}
