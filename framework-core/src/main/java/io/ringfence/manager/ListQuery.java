package io.ringfence.manager;

import java.util.Map;

/**
 * Paging and filters for a list.
 *
 * @param offset  items to skip
 * @param limit   items to return at most
 * @param filters attribute filters, all of which must hold; which attributes apply depends on
 *                the kind (see {@link EntityFilters})
 */
public record ListQuery(int offset, int limit, Map<String, String> filters) {

    public static final int MAX_LIMIT = 1000;

    public ListQuery {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT);
        }
        filters = filters == null ? Map.of() : Map.copyOf(filters);
    }
}
