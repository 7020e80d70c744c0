package io.ringfence.dataplane.agent;

/**
 * The counters of one vNIC on its host, as of one moment.
 *
 * @param vnicId             the vNIC
 * @param allowed            packets allowed (by rule or flow table, and by the service chain of a steered flow)
 * @param dropped            packets dropped (by rule, default rule, as invalid, or by a service chain)
 * @param rejected           packets rejected (by rule or by a service chain)
 * @param invalid            of the dropped packets, those connection tracking found invalid (e.g. a TCP segment
 *                           other than a SYN without a flow, or a packet that does not fit its flow's state): a
 *                           rising count points at asymmetric routing, flows cut or expired under live
 *                           connections, or scans, rather than at a rule
 * @param flowsCreated       flows created for it in the connection tracker
 * @param flowsCut           established flows cut because new tables no longer allowed them
 * @param flowsEvicted       its flows the connection tracker evicted to make room for new ones (its host's table
 *                           was full): a rising count means the host tracks more flows than it has room for
 * @param steered            packets the firewall allowed that went through a service chain
 * @param inspectionDropped  of the steered packets, those the chain dropped (a function's DROP or the failure
 *                           policy BLOCK); also counted in {@code dropped}
 * @param inspectionRejected of the steered packets, those the chain rejected; also counted in {@code rejected}
 */
public record VnicStats(String vnicId, long allowed, long dropped, long rejected, long invalid, long flowsCreated,
                        long flowsCut, long flowsEvicted, long steered, long inspectionDropped,
                        long inspectionRejected) {

    /** Counters of a vNIC whose flows were never steered nor evicted. */
    public VnicStats(String vnicId, long allowed, long dropped, long rejected, long invalid, long flowsCreated,
                     long flowsCut) {
        this(vnicId, allowed, dropped, rejected, invalid, flowsCreated, flowsCut, 0, 0, 0, 0);
    }
}
