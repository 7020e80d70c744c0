/**
 * Connection tracking for the stateful per-vNIC firewall: the table of flows a host's data plane
 * has allowed, so that later packets of a flow (and the ICMP errors about it) take the fast path
 * instead of being classified again. One {@link io.ringfence.dataplane.conntrack.ConnectionTracker}
 * per host; flows are keyed per vNIC and per direction.
 *
 * <p>Policies of this version: a TCP state machine without sequence-window tracking, per-state
 * timeouts modelled on Linux conntrack, a bounded table that evicts the non-established flow
 * closest to expiry first. See {@link io.ringfence.dataplane.conntrack.ConnectionTracker}.
 *
 * <p>The data plane may attach a {@link io.ringfence.dataplane.conntrack.FlowAttachment} to a flow
 * (a steered flow's chain), found with the flow on the fast path and told once when the flow is
 * removed, whatever removes it.
 *
 * <p>When a VM moves host, its vNICs' flows move with it: {@link io.ringfence.dataplane.conntrack.ConnectionTracker#exportFlows}
 * hands them over as {@link io.ringfence.dataplane.conntrack.FlowSnapshot}s (state, counters, ages, attachment)
 * and {@link io.ringfence.dataplane.conntrack.ConnectionTracker#importFlows} takes them over in another table.
 *
 * <p>Built for the established-flow fast path: a compact flow record (its key as primitive fields,
 * 112 bytes for IPv4 and 128 for IPv6, the attachment reference included) in a lock-free
 * open-addressing index, and {@link io.ringfence.dataplane.conntrack.ConnectionTracker#track}
 * applying a packet parsed into a {@link io.ringfence.dataplane.packet.PacketView} without
 * allocating. Measured with the flow-path benchmarks ({@code java -jar benchmarks/target/benchmarks.jar
 * FlowPath}) on a 2-core virtual machine, one benchmark thread: 120 bytes of heap per tracked IPv4
 * flow at 1,000,000 flows (136 for IPv6; target under 200; 337 before this layout); the whole
 * per-packet path of an established flow, raw frame to verdict and counters, about 12 million
 * packets per second per core over 10,000 flows in random order (target 10 million), 5 to 7 million
 * over 100,000; 0.9 million TCP connections set up and torn down per second. Details and the method
 * in the benchmarks' README.
 */
@Version("0.5.0")
@Export
package io.ringfence.dataplane.conntrack;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
