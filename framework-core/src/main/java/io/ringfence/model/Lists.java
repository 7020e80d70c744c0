package io.ringfence.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Defensive copies for record components: null becomes empty; null elements are kept for validation to name. */
final class Lists {
    private Lists() {
    }

    static <T> List<T> copy(List<T> list) {
        if (list == null || list.isEmpty()) {
            return List.of();
        }
        return Collections.unmodifiableList(new ArrayList<>(list));
    }
}
