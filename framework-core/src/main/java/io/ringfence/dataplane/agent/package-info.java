/**
 * The data plane of one hypervisor: {@link io.ringfence.dataplane.agent.HostAgent} receives the
 * host's compiled rule sets from the compiler, keeps one immutable pair of rule tables per vNIC and
 * decides packets (connection tracking first, then first-match classification), with per-rule and
 * per-vNIC counters; staged rules are evaluated beside the enforced ones and their would-be hits
 * counted apart. Plain Java: the OSGi wiring lives elsewhere.
 */
@Version("0.3.0")
@Export
package io.ringfence.dataplane.agent;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
