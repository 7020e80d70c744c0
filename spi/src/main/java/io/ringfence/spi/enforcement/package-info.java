/**
 * Enforcement targets: the contract through which rule sets reach whatever enforces them — the
 * host agents of hypervisors (in the JVM or as nftables on a Linux host), partner virtual
 * appliances, hardware devices. A vendor ships its own adapter bundle registering an
 * {@link io.ringfence.spi.enforcement.EnforcementTarget} as an OSGi service.
 *
 * <h2>Desired and realized state</h2>
 * The framework compiles the consolidated policy into one rule set per vNIC, each stamped with a
 * generation number that only grows. It sends each target the rule sets of the vNICs in the
 * target's {@link io.ringfence.spi.enforcement.TargetDescriptor#hosts() scope} as
 * {@link io.ringfence.spi.enforcement.RuleSetUpdate updates}: a full state (on attach, after the
 * target restarted or reconnected, or when the reconciler cannot tell what it holds) or a delta.
 * The target answers each update with an {@link io.ringfence.spi.enforcement.Acknowledgement}: the
 * generations it now enforces, or a specific error. The framework keeps desired versus realized
 * generation per target and vNIC, shows it to admins, and retries failed or unanswered updates
 * with backoff.
 *
 * <h2>Rules for implementers</h2>
 * <ul>
 * <li>Apply an update atomically: a packet sees the old rule set of a vNIC or the new one.</li>
 * <li>Fail static: keep enforcing the last rule sets realized when the framework is gone.</li>
 * <li>No unfiltered window: every update carries the {@link
 *     io.ringfence.spi.enforcement.RuleSetUpdate#defaultRule() default rule}; a vNIC whose rule set
 *     is not realized yet on the target is decided by it from its first packet (and logged as the
 *     default rule), never let through unfiltered. Before its first update, a target that knows
 *     its vNICs drops their traffic if it can (the in-JVM host agents do); the framework sends the
 *     full state as soon as a target registers.</li>
 * <li>Updates for one target are sent one at a time, in order; {@link
 *     io.ringfence.spi.enforcement.EnforcementTarget#apply} may complete asynchronously.</li>
 * </ul>
 *
 * <p>Everything in this package is plain Java; addresses are text in CIDR notation.
 *
 * <p>Since 0.2.0: {@link io.ringfence.spi.enforcement.TargetRule#tag()} and {@link
 * io.ringfence.spi.enforcement.RuleSetUpdate#defaultRule()}; the earlier constructors remain.
 */
@Version("0.2.0")
@Export
package io.ringfence.spi.enforcement;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
