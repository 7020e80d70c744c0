package io.ringfence.dataplane.agent;

/**
 * Host-wide counters of a {@link HostAgent}, as of one moment.
 *
 * @param vnics            vNICs that have tables
 * @param flows            flows in the connection tracker (expired ones not yet removed included)
 * @param evictions        flows the tracker evicted to make room
 * @param unknownVnicDrops packets of vNICs that had no tables yet (or any more), decided by the
 *                         default rule alone: dropped, unless the default rule allows (not counted
 *                         per vNIC, so that packets naming arbitrary vNICs cannot grow the counter map)
 * @param buildFailures    rule sets whose tables could not be built (the vNIC kept its previous tables)
 */
public record HostStats(int vnics, int flows, long evictions, long unknownVnicDrops, long buildFailures) {
}
