/** The OSGi wiring of the redirection table: a thin DS component, nothing else. */
package io.ringfence.redirection.internal.osgi;
