/**
 * Connection tracking for the stateful per-vNIC firewall: the table of flows a host's data plane
 * has allowed, so that later packets of a flow (and the ICMP errors about it) take the fast path
 * instead of being classified again. One {@link io.ringfence.dataplane.conntrack.ConnectionTracker}
 * per host; flows are keyed per vNIC and per direction.
 *
 * <p>Policies of this version: a TCP state machine without sequence-window tracking, per-state
 * timeouts modelled on Linux conntrack, a bounded table that evicts the non-established flow
 * closest to expiry first. See {@link io.ringfence.dataplane.conntrack.ConnectionTracker}.
 */
@Version("0.2.0")
@Export
package io.ringfence.dataplane.conntrack;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
