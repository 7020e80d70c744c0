/**
 * How compiled rule sets reach the enforcement targets ({@link io.ringfence.spi.enforcement}):
 * one feed per registered target, subscribed to the compiler for each host the target covers. A
 * feed converts the compiler's output into the SPI's values, sends the target one update at a
 * time (the first one full, then deltas; updates that queue up while one is in flight are merged
 * into the next), and keeps, per target, what it last heard back: the generations the target
 * realized, its last acknowledgement and its last error.
 *
 * <p>A failed or unanswered update is not retried here: the next change, or {@link
 * io.ringfence.enforcement.EnforcementService#resync}, sends the target its full state. Retrying
 * with backoff belongs to realization tracking, which builds on {@link
 * io.ringfence.enforcement.TargetFeedStatus}.
 *
 * <p>The rule counters that targets count themselves are read back apart from the feeds, from time to
 * time, each read bounded by a deadline ({@link io.ringfence.enforcement.TargetCounterService}), so that a
 * slow or failing target delays neither its updates nor the other targets.
 */
@Version("0.2.0")
@Export
package io.ringfence.enforcement;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
