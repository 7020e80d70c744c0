package io.ringfence.dataplane.packet;

import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;

/**
 * What the transport parser needs to know of the IP layer it sits on.
 *
 * @param checksumDestination the destination for the pseudo-header: for IPv6 with a routing header,
 *                            the final destination, else {@code destination}
 * @param fragmented          true for any fragment: the transport checksum covers the whole datagram
 *                            and cannot be verified on one fragment
 * @param laterFragment       true for a fragment other than the first: it has no transport header
 */
record IpHeader(IpFamily family, IpPrefix source, IpPrefix destination, IpPrefix checksumDestination,
                int protocol, int ttl, int length, boolean fragmented, boolean laterFragment) {
}
