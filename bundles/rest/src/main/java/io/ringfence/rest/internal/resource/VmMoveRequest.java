package io.ringfence.rest.internal.resource;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of {@code POST /api/v1/inventory/vms/{id}/move}.
 *
 * @param hostId the host the VM moves to
 */
@Schema(name = "VmMoveRequest", description = "Where the VM moves")
public record VmMoveRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "esx-02") String hostId) {
}
