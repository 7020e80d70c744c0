/**
 * The admin's model of the data center: inventory (hosts, VMs, vNICs), groups, services,
 * security policies with their rules, the default rule, and service insertion (service profiles of
 * partner definitions, service chains, redirection policies with their rules). Immutable value
 * types; the semantic checks that span objects live in the model manager.
 */
@Version("0.2.0")
@Export
package io.ringfence.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
