package io.ringfence.dataplane.agent;

/**
 * The counters of one vNIC on its host, as of one moment.
 *
 * @param vnicId       the vNIC
 * @param allowed      packets allowed (by rule or flow table)
 * @param dropped      packets dropped (by rule, default rule or as invalid)
 * @param rejected     packets rejected
 * @param invalid      of the dropped packets, those connection tracking found invalid (e.g. a TCP segment
 *                     other than a SYN without a flow, or a packet that does not fit its flow's state): a
 *                     rising count points at asymmetric routing, flows cut or expired under live
 *                     connections, or scans, rather than at a rule
 * @param flowsCreated flows created for it in the connection tracker
 * @param flowsCut     established flows cut because new tables no longer allowed them
 */
public record VnicStats(String vnicId, long allowed, long dropped, long rejected, long invalid, long flowsCreated,
                        long flowsCut) {
}
