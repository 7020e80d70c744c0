/**
 * The {@code ringfence:*} commands of the Karaf console: thin actions over the services the REST
 * API uses (the model, the data plane, enforcement, service insertion), printing a table or, with
 * {@code --json}, the same records as JSON through the model's mapper (ISO times, enums by name).
 */
package io.ringfence.shell.internal;
