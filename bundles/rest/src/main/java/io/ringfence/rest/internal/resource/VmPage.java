package io.ringfence.rest.internal.resource;

import io.ringfence.model.Vm;
import java.util.List;

/** The shape of a page of VMs, for the OpenAPI document (the API returns {@code Page<Vm>}). */
record VmPage(long total, int offset, int limit, List<Vm> items) {
}
