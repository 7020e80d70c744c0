package io.ringfence.rest.internal.resource;

import io.ringfence.model.Service;
import java.util.List;

/** The shape of a page of services, for the OpenAPI document (the API returns {@code Page<Service>}). */
record ServicePage(long total, int offset, int limit, List<Service> items) {
}
