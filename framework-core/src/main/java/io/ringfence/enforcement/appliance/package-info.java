/**
 * Partner virtual appliances as enforcement targets: an appliance is a separate process that
 * registers itself (over the REST API), names the hosts whose vNICs it enforces, and then pulls
 * its slice of policy — the same {@link io.ringfence.spi.enforcement.RuleSetUpdate updates} any
 * {@link io.ringfence.spi.enforcement.EnforcementTarget} receives — and posts an
 * {@link io.ringfence.spi.enforcement.Acknowledgement} for each.
 *
 * <p>Pulling rather than being called keeps the appliance reachable through NAT and firewalls and
 * lets the framework tell a silent appliance by its missed polls: an appliance that neither polls
 * nor waits in a poll for the lease is unreachable, its pending update fails with the retryable
 * error {@code unreachable}, and it has to register again, which starts a new session that begins
 * with its full state. An appliance process that restarts does the same.
 */
@Version("0.2.0")
@Export
package io.ringfence.enforcement.appliance;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
