package io.ringfence.rest.internal.resource;

import io.ringfence.model.RedirectionPolicy;
import java.util.List;

/** The shape of a page of redirection policies, for the OpenAPI document (the API returns {@code Page<RedirectionPolicy>}). */
record RedirectionPolicyPage(long total, int offset, int limit, List<RedirectionPolicy> items) {
}
