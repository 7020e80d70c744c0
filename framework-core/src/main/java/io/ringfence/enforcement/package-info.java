/**
 * How compiled rule sets reach the enforcement targets ({@link io.ringfence.spi.enforcement}),
 * and how far each target has realized them.
 *
 * <h2>Feeds</h2>
 * One feed per registered target, subscribed to the compiler for each host the target covers. A
 * feed converts the compiler's output into the SPI's values, sends the target one update at a
 * time (the first one full, then deltas; updates that queue up while one is in flight are merged
 * into the next), and keeps, per target, what it last heard back: the generations the target
 * realized, its last acknowledgement and its last error ({@link io.ringfence.enforcement.TargetFeedStatus}).
 *
 * <h2>Reconciler</h2>
 * After a failure the target's state is unknown, so every retry sends the full desired state.
 * <ul>
 * <li>A retryable failure (the target says so; a timeout, an exception or a wrong acknowledgement
 *     count as retryable) is retried after an exponential backoff: 100 ms by default, doubling
 *     with each failure in a row up to 30 s, each wait jittered down to between half and all of
 *     it. Changes that arrive meanwhile wait for the retry and go with it.</li>
 * <li>A non-retryable failure (the target refused the update: it would refuse it again) is
 *     retried when the desired state changes, on a resync, or after a slow period (5 min by
 *     default), whichever comes first.</li>
 * <li>{@link io.ringfence.enforcement.RealizationService#resync} sends the full state at once.</li>
 * <li>Anti-entropy: every target gets its full state at least every resync interval (10 min by
 *     default), for a target that lost its state without the framework noticing. A target service
 *     that leaves and registers again gets a new feed, whose first update is full.</li>
 * </ul>
 * Nothing is dropped: the desired state is the compiler's, and a full update carries all of it.
 *
 * <h2>Realization</h2>
 * Per target and vNIC ({@link io.ringfence.enforcement.VnicRealization}): the desired generation
 * (the current rule set's) against the realized one (the last the target acknowledged). Equal:
 * REALIZED. Otherwise FAILED while the target's last answer was a failure, else PENDING; since when
 * it has not been realized, and the last failure that kept it back. A target's summary counts its
 * vNICs per state ({@link io.ringfence.enforcement.TargetRealization}). A policy, a rule or a VM
 * is looked at over the vNICs it lands on, each over all the targets that enforce it
 * ({@link io.ringfence.enforcement.Realization}).
 *
 * <h2>Counters</h2>
 * The rule counters that targets count themselves are read back apart from the feeds, from time to
 * time, each read bounded by a deadline ({@link io.ringfence.enforcement.TargetCounterService}), so that a
 * slow or failing target delays neither its updates nor the other targets.
 */
@Version("0.3.0")
@Export
package io.ringfence.enforcement;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
