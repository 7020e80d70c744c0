/** The OSGi wiring of service insertion: a thin DS component, nothing else. */
package io.ringfence.insertion.internal.osgi;
