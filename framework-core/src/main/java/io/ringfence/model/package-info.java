/**
 * The admin's model of the data center: inventory (hosts, VMs, vNICs), groups, services,
 * security policies with their rules, and the default rule. Immutable value types; the
 * semantic checks that span objects live in the model manager.
 */
@Version("0.2.0")
@Export
package io.ringfence.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
