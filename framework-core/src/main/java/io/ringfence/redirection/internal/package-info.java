/**
 * The redirection table's implementation: the table of one model revision and the manager that
 * rebuilds it as the model changes. Plain Java; the OSGi wiring is in the {@code osgi} package below.
 */
package io.ringfence.redirection.internal;
