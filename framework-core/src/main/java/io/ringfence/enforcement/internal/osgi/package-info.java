/** The OSGi wiring of the target feeds: a thin DS component, nothing else. */
package io.ringfence.enforcement.internal.osgi;
