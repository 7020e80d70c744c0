package io.ringfence.dataplane.packet;

import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;

/**
 * The IP layer of a packet quoted in an ICMP error, as {@link EmbeddedHeaderParser} reads it.
 *
 * @param laterFragment true for a fragment other than the first (it has no transport header), and
 *                      for a quote cut inside the IPv6 extension headers (the transport header is
 *                      not in it)
 */
record IpHeader(IpFamily family, IpPrefix source, IpPrefix destination, int protocol, int ttl, int length,
                boolean laterFragment) {
}
