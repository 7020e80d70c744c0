/**
 * The OSGi wiring of service insertion: thin DS components (the runtime with its registry, and the
 * check of service profiles over that registry), nothing else.
 */
package io.ringfence.insertion.internal.osgi;
