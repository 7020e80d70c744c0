/**
 * A simulated data center: one host agent per host of the model, fed by the compiler, behind the
 * {@link io.ringfence.dataplane.api.DataPlaneService}. Plain Java; the OSGi wiring is in the
 * {@code osgi} package below.
 */
package io.ringfence.dataplane.sim;
