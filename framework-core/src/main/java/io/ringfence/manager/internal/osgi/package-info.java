/** The OSGi wiring of the model manager: a thin DS component, nothing else. */
package io.ringfence.manager.internal.osgi;
