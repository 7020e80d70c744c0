package io.ringfence.rest.internal.resource;

import io.ringfence.model.Group;
import java.util.List;

/** The shape of a page of groups, for the OpenAPI document (the API returns {@code Page<Group>}). */
record GroupPage(long total, int offset, int limit, List<Group> items) {
}
