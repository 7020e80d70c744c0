/**
 * The OSGi wiring of the simulated data center and its VM mover: thin DS components, and the
 * registration of the data center's agents as enforcement target services.
 */
package io.ringfence.dataplane.sim.osgi;
