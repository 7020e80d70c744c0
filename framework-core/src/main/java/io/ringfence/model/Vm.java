package io.ringfence.model;

import io.swagger.v3.oas.annotations.media.Schema;
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
@Schema(description = "A VM with its vNICs; name, tags, OS and segments drive dynamic group membership")
public record Vm(String id, String name, String hostId, String os, List<String> tags, List<Vnic> vnics,
                 @Schema(accessMode = Schema.AccessMode.READ_ONLY, description = "server-assigned; the ETag") long revision) implements Entity {

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
