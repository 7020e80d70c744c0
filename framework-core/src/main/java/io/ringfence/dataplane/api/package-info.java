/**
 * The data plane of the whole data center as one service: packets routed to the agent of their
 * vNIC's host, counters summed across hosts, and the live flow tables of VMs.
 */
@Version("0.3.0")
@Export
package io.ringfence.dataplane.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
