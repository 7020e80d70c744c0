/**
 * The appliance registry: one {@link io.ringfence.enforcement.appliance.internal.ApplianceTarget}
 * per registration session, handed to whatever feeds enforcement targets through a
 * {@link io.ringfence.enforcement.appliance.internal.TargetPublisher}. Plain Java with an
 * injectable clock; the OSGi wiring is in the {@code osgi} package below.
 */
package io.ringfence.enforcement.appliance.internal;
