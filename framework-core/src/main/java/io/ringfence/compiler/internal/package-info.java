/**
 * The compiler's implementation: the incremental membership engine and the per-vNIC compiler.
 * Plain Java; the OSGi wiring is in the {@code osgi} package below.
 */
package io.ringfence.compiler.internal;
