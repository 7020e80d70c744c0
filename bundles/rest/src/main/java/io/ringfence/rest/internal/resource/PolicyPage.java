package io.ringfence.rest.internal.resource;

import io.ringfence.model.Policy;
import java.util.List;

/** The shape of a page of policies, for the OpenAPI document (the API returns {@code Page<Policy>}). */
record PolicyPage(long total, int offset, int limit, List<Policy> items) {
}
