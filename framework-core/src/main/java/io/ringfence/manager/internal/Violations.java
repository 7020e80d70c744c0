package io.ringfence.manager.internal;

import io.ringfence.manager.ValidationException;
import io.ringfence.manager.Violation;
import java.util.ArrayList;
import java.util.List;

/** Collects violations with JSON-pointer field paths while a validator walks an object. */
final class Violations {
    private final List<Violation> list;
    private final String prefix;

    Violations(String prefix) {
        this(prefix, new ArrayList<>());
    }

    private Violations(String prefix, List<Violation> list) {
        this.prefix = prefix;
        this.list = list;
    }

    /** A collector for a nested object, adding to the same list. */
    Violations at(String path) {
        return new Violations(prefix + path, list);
    }

    void add(String field, String message) {
        list.add(new Violation(prefix + field, message));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    void throwIfAny() {
        if (!list.isEmpty()) {
            throw new ValidationException(list);
        }
    }
}
