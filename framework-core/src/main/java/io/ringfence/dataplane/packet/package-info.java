/**
 * Packets as the data plane sees them: a compact, immutable representation of an IPv4 or IPv6
 * packet with its transport header (TCP with flags, UDP, ICMP/ICMPv6 with type and code), the
 * parser that builds it from raw Ethernet frames, and the packets the data plane generates
 * (TCP RST, ICMP/ICMPv6 unreachable).
 */
@Version("0.2.0")
@Export
package io.ringfence.dataplane.packet;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
