/**
 * The admin REST API: the Jersey application, authentication through JAAS, the body limit,
 * and the mapping of every error to an RFC 9457 problem document. Implementation only: the
 * API's contract is the OpenAPI document it serves.
 */
package io.ringfence.rest.internal;
