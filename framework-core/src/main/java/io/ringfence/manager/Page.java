package io.ringfence.manager;

import java.util.List;

/**
 * A page of a list.
 *
 * @param total  how many items match in all
 * @param offset index of the first item of this page
 * @param limit  the page size asked for
 * @param items  the items
 * @param <T>    item type
 */
public record Page<T>(long total, int offset, int limit, List<T> items) {
    public Page {
        items = List.copyOf(items);
    }
}
