package io.ringfence.rest.internal.resource;

import io.ringfence.model.Host;
import java.util.List;

/** The shape of a page of hosts, for the OpenAPI document (the API returns {@code Page<Host>}). */
record HostPage(long total, int offset, int limit, List<Host> items) {
}
