/**
 * The OSGi wiring of the simulated data center: a thin DS component, and the registration of its
 * agents as enforcement target services.
 */
package io.ringfence.dataplane.sim.osgi;
