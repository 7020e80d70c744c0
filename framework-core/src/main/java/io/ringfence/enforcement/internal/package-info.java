/**
 * The feeds of the enforcement targets: the conversion of compiled rule sets into the SPI's
 * values, each target's desired state with the changes not yet sent, the feed that sends them and
 * reconciles the target (retries, resyncs, anti-entropy), the manager of all feeds, and the
 * realization of policies, rules and VMs computed from the feeds. Apart from the feeds, the poller
 * that reads back the rule counters the targets keep. Plain Java; the OSGi wiring is in the
 * {@code osgi} package below.
 */
package io.ringfence.enforcement.internal;
