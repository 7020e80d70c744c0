/** The OSGi wiring of the target feeds and of the reading of the targets' rule counters: thin DS components, nothing else. */
package io.ringfence.enforcement.internal.osgi;
