/**
 * A simulated data center: one host agent per host of the model, fed by the compiler, behind the
 * {@link io.ringfence.dataplane.api.DataPlaneService}; it steers allowed flows through service
 * chains once given the redirection table and the service-insertion runtime. Plain Java; the OSGi
 * wiring is in the {@code osgi} package below (optional, dynamic references to those services:
 * without them, nothing is steered).
 */
package io.ringfence.dataplane.sim;
