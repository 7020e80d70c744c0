package io.ringfence.insertion;

import io.ringfence.spi.inspection.Alert;
import java.time.Instant;

/**
 * An alert a session reported, with where it comes from.
 *
 * @param time         when it was reported
 * @param definitionId the function's service definition
 * @param version      the version of the instance that reported it
 * @param chainId      the chain the flow is steered through
 * @param profileId    the hop's profile
 * @param flowId       the flow
 * @param vnicId       the vNIC the flow crosses
 * @param vmId         the VM owning the vNIC
 * @param alert        what the function found
 */
public record RecentAlert(Instant time, String definitionId, String version, String chainId, String profileId,
                          long flowId, String vnicId, String vmId, Alert alert) {
}
