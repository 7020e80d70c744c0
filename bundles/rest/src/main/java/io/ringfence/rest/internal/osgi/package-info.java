/** The OSGi wiring of the REST API: the Jersey servlet on the HTTP whiteboard and its configuration. */
package io.ringfence.rest.internal.osgi;
