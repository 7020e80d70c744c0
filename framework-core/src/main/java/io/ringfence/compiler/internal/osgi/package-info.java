/** The OSGi wiring of the compiler: a thin DS component, nothing else. */
package io.ringfence.compiler.internal.osgi;
