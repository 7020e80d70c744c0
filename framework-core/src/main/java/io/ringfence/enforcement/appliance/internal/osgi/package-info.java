/** The OSGi wiring of the appliance registry: a thin DS component, nothing else. */
package io.ringfence.enforcement.appliance.internal.osgi;
