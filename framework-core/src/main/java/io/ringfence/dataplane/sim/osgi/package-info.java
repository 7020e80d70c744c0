/** The OSGi wiring of the simulated data center and its VM mover: thin DS components, nothing else. */
package io.ringfence.dataplane.sim.osgi;
