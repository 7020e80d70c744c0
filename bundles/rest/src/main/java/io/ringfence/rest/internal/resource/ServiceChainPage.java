package io.ringfence.rest.internal.resource;

import io.ringfence.model.ServiceChain;
import java.util.List;

/** The shape of a page of service chains, for the OpenAPI document (the API returns {@code Page<ServiceChain>}). */
record ServiceChainPage(long total, int offset, int limit, List<ServiceChain> items) {
}
