package io.ringfence.spi.inspection;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One parameter of a {@link ProfileSchema}.
 *
 * @param name          the parameter's name in a profile: letters, digits, {@code _} and {@code -}, starting with a letter
 * @param type          its type
 * @param description   one line for admins
 * @param required      a profile must give it (else {@code defaultValue} applies when not null)
 * @param defaultValue  the value when a profile does not give it; of the Java type {@link ParameterType} names, or null
 * @param allowedValues for STRING and STRING_LIST: the only values (elements) accepted; empty for any
 * @param minimum       for INTEGER: the lowest value accepted, else null
 * @param maximum       for INTEGER: the highest value accepted, else null
 * @param maxLength     for STRING: the longest string accepted; for STRING_LIST: the most elements; 0 for no limit
 */
public record ProfileParameter(String name, ParameterType type, String description, boolean required,
                               Object defaultValue, List<String> allowedValues, Long minimum, Long maximum,
                               int maxLength) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    /** @throws IllegalArgumentException if the name is malformed or the default is not of the type */
    public ProfileParameter {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("malformed parameter name: " + name);
        }
        if (type == null) {
            throw new IllegalArgumentException("parameter " + name + " has no type");
        }
        description = description == null ? "" : description;
        allowedValues = allowedValues == null ? List.of() : List.copyOf(allowedValues);
        if (maxLength < 0) {
            throw new IllegalArgumentException("parameter " + name + ": negative maxLength");
        }
        if (defaultValue != null && !Profile.isOfType(defaultValue, type)) {
            throw new IllegalArgumentException("parameter " + name + ": default is not a " + type);
        }
        if (defaultValue instanceof List<?> list) {
            defaultValue = List.copyOf(list);
        }
    }

    /** An optional string parameter. */
    public static ProfileParameter string(String name, String description, String defaultValue) {
        return new ProfileParameter(name, ParameterType.STRING, description, false, defaultValue, List.of(), null, null, 0);
    }

    /** An optional integer parameter within [minimum, maximum]. */
    public static ProfileParameter integer(String name, String description, Long defaultValue, long minimum, long maximum) {
        return new ProfileParameter(name, ParameterType.INTEGER, description, false, defaultValue, List.of(),
                minimum, maximum, 0);
    }

    /** An optional boolean parameter. */
    public static ProfileParameter bool(String name, String description, boolean defaultValue) {
        return new ProfileParameter(name, ParameterType.BOOLEAN, description, false, defaultValue, List.of(), null, null, 0);
    }

    /** An optional list of strings, empty by default. */
    public static ProfileParameter stringList(String name, String description) {
        return new ProfileParameter(name, ParameterType.STRING_LIST, description, false, List.of(), List.of(),
                null, null, 0);
    }

    /** A copy that profiles must give. */
    public ProfileParameter asRequired() {
        return new ProfileParameter(name, type, description, true, null, allowedValues, minimum, maximum, maxLength);
    }

    /** A copy accepting only {@code values} (for strings and string lists). */
    public ProfileParameter allowing(String... values) {
        return new ProfileParameter(name, type, description, required, defaultValue, List.of(values), minimum, maximum,
                maxLength);
    }

    /** A copy with a maximum length (strings) or element count (lists). */
    public ProfileParameter withMaxLength(int max) {
        return new ProfileParameter(name, type, description, required, defaultValue, allowedValues, minimum, maximum, max);
    }
}
