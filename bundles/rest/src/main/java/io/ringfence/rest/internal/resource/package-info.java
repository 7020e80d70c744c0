/**
 * The JAX-RS resources of API version 1: thin, each parses, calls the model services and encodes.
 * The OpenAPI document is generated from these classes at build time.
 */
package io.ringfence.rest.internal.resource;
