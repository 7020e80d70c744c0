/**
 * The feeds of the enforcement targets: the conversion of compiled rule sets into the SPI's
 * values, each target's desired state with the changes not yet sent, and the feed that sends
 * them. Apart from the feeds, the poller that reads back the rule counters the targets keep.
 * Plain Java; the OSGi wiring is in the {@code osgi} package below.
 */
package io.ringfence.enforcement.internal;
