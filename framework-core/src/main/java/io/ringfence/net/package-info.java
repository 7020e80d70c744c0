/**
 * IP addresses, prefixes and address sets: the value types that groups resolve to and that
 * the compiler and data plane match packets against. IPv4 and IPv6 are first-class alike.
 */
@Version("0.2.0")
@Export
package io.ringfence.net;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
