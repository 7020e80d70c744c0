/** The OSGi wiring of the simulated data center: a thin DS component, nothing else. */
package io.ringfence.dataplane.sim.osgi;
