package io.ringfence.rest.internal.resource;

import io.ringfence.model.ServiceProfile;
import java.util.List;

/** The shape of a page of service profiles, for the OpenAPI document (the API returns {@code Page<ServiceProfile>}). */
record ServiceProfilePage(long total, int offset, int limit, List<ServiceProfile> items) {
}
