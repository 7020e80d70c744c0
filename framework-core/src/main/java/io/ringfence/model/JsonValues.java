package io.ringfence.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, read-only copies of free-form JSON values (maps, lists, scalars) held by records, so that
 * a record stays immutable whatever the caller does with the map it passed. Order is kept; null
 * values are kept for validation to name.
 */
final class JsonValues {
    private JsonValues() {
    }

    static Map<String, Object> copy(Map<String, Object> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        return freezeMap(map);
    }

    private static Map<String, Object> freezeMap(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), freeze(v)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object freeze(Object value) {
        if (value instanceof Map<?, ?> m) {
            return freezeMap(m);
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(e -> copy.add(freeze(e)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
