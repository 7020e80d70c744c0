package io.ringfence.dataplane.agent;

/**
 * The counters of one vNIC on its host, as of one moment.
 *
 * @param vnicId       the vNIC
 * @param allowed      packets allowed (by rule or flow table)
 * @param dropped      packets dropped (by rule, default rule or as invalid)
 * @param rejected     packets rejected
 * @param flowsCreated flows created for it in the connection tracker
 * @param flowsCut     established flows cut because new tables no longer allowed them
 */
public record VnicStats(String vnicId, long allowed, long dropped, long rejected, long flowsCreated, long flowsCut) {
}
