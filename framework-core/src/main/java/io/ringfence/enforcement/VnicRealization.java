package io.ringfence.enforcement;

import java.time.Instant;

/**
 * One vNIC on one target: the generation its rule set should have there against the one the
 * target acknowledged.
 *
 * @param targetId          the target
 * @param vnicId            the vNIC
 * @param vmId              its VM
 * @param hostId            the host it runs on
 * @param desiredGeneration the generation of its current rule set
 * @param realizedGeneration the generation the target last acknowledged for it, 0 if none
 * @param state             REALIZED, PENDING or FAILED
 * @param pendingSince      since when it has not been realized (its desired rule set changed while
 *                          realized, or it was new); null when realized
 * @param lastError         the last failure that kept it from being realized, or null; it stays
 *                          after the vNIC is realized again so that admins can see it
 */
public record VnicRealization(String targetId, String vnicId, String vmId, String hostId, long desiredGeneration,
                              long realizedGeneration, RealizationState state, Instant pendingSince,
                              RealizationError lastError) {
}
