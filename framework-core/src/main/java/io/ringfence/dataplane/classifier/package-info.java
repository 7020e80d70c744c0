/**
 * Packet classification: which entry of a vNIC's compiled rule table (one direction) a packet
 * hits first. {@link io.ringfence.dataplane.classifier.RuleTable} is compiled once per vNIC,
 * direction and generation (from the previous generation's table when only a few entries
 * changed), and then answers concurrent lookups whose cost does not grow with the number of
 * entries the way a linear scan does.
 */
@Version("0.3.0")
@Export
package io.ringfence.dataplane.classifier;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
