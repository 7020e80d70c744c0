package io.ringfence.spi.inspection;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An admin's configuration of a function (a <em>service profile</em>), validated against the
 * function's {@link ProfileSchema}, with defaults filled in: every parameter of the schema has a
 * value here unless it is optional without a default.
 *
 * @param id     the profile's id
 * @param name   its display name
 * @param values parameter values by name: {@link String}, {@link Long}, {@link Boolean} or {@code List<String>}
 */
public record Profile(String id, String name, Map<String, Object> values) {

    public Profile {
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, v instanceof List<?> l ? List.copyOf(l) : v));
        values = Collections.unmodifiableMap(copy);
    }

    /** The string value of {@code parameter}, or null. */
    public String string(String parameter) {
        return (String) values.get(parameter);
    }

    /** The integer value of {@code parameter}, or {@code fallback} when absent. */
    public long integer(String parameter, long fallback) {
        Object v = values.get(parameter);
        return v == null ? fallback : (Long) v;
    }

    /** The boolean value of {@code parameter}, or {@code fallback} when absent. */
    public boolean bool(String parameter, boolean fallback) {
        Object v = values.get(parameter);
        return v == null ? fallback : (Boolean) v;
    }

    /** The string-list value of {@code parameter}, empty when absent. */
    @SuppressWarnings("unchecked")
    public List<String> stringList(String parameter) {
        Object v = values.get(parameter);
        return v == null ? List.of() : (List<String>) v;
    }

    /** True when {@code value} is of the Java type that {@code type} stands for. */
    static boolean isOfType(Object value, ParameterType type) {
        return switch (type) {
            case STRING -> value instanceof String;
            case INTEGER -> value instanceof Long;
            case BOOLEAN -> value instanceof Boolean;
            case STRING_LIST -> value instanceof List<?> l && l.stream().allMatch(String.class::isInstance);
        };
    }
}
