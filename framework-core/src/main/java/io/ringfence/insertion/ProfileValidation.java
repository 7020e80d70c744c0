package io.ringfence.insertion;

import io.ringfence.spi.inspection.ParameterType;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.ProfileParameter;
import io.ringfence.spi.inspection.ProfileSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns the parameter values an admin wrote (as Jackson reads JSON: strings, booleans, integers of
 * any width, lists) into a {@link Profile} of a function's {@link ProfileSchema}, with the schema's
 * defaults filled in, or into the list of what is wrong, each naming its parameter. It accepts
 * exactly what {@link JsonSchemas#of} describes: an integral number written as {@code 5.0} is an
 * integer, as in JSON Schema, and string lengths count Unicode code points.
 */
public final class ProfileValidation {

    private ProfileValidation() {
    }

    /**
     * The outcome of validating a profile.
     *
     * @param profile    the profile, null when invalid
     * @param violations what is wrong, empty when valid: unknown parameters first (by name), then the
     *                   schema's parameters in schema order
     */
    public record Result(Profile profile, List<ProfileViolation> violations) {

        public Result {
            violations = List.copyOf(violations);
        }

        /** True when there is a profile and nothing is wrong. */
        public boolean valid() {
            return violations.isEmpty();
        }
    }

    /**
     * Validates {@code values} against {@code schema}.
     *
     * @param values the parameters as written, by name; null for none
     */
    public static Result validate(ProfileSchema schema, String profileId, String profileName, Map<String, ?> values) {
        Map<String, ?> given = values == null ? Map.of() : values;
        List<ProfileViolation> violations = new ArrayList<>();
        for (String name : new TreeSet<>(given.keySet())) {
            if (schema.parameter(name) == null) {
                violations.add(new ProfileViolation(name, ProfileViolation.Kind.UNKNOWN_PARAMETER,
                        "the function has no parameter " + name));
            }
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        for (ProfileParameter p : schema.parameters()) {
            if (!given.containsKey(p.name())) {
                if (p.required()) {
                    violations.add(new ProfileViolation(p.name(), ProfileViolation.Kind.MISSING_REQUIRED, "is required"));
                } else if (p.defaultValue() != null) {
                    typed.put(p.name(), p.defaultValue());
                }
                continue;
            }
            Object value = typed(p, given.get(p.name()), violations);
            if (value != null) {
                typed.put(p.name(), value);
            }
        }
        return new Result(violations.isEmpty() ? new Profile(profileId, profileName, typed) : null, violations);
    }

    /** The value as the Java type of the parameter, or null after adding what is wrong with it. */
    private static Object typed(ProfileParameter p, Object value, List<ProfileViolation> violations) {
        int before = violations.size();
        Object typed = switch (p.type()) {
            case STRING -> value instanceof String s ? checkString(p, s, violations) : null;
            case INTEGER -> integer(p, value, violations);
            case BOOLEAN -> value instanceof Boolean b ? b : null;
            case STRING_LIST -> value instanceof List<?> list ? checkList(p, list, violations) : null;
        };
        if (typed == null && violations.size() == before) {
            violations.add(new ProfileViolation(p.name(), ProfileViolation.Kind.WRONG_TYPE,
                    "must be " + article(p.type()) + ", not " + describe(value)));
        }
        return violations.size() == before ? typed : null;
    }

    private static String checkString(ProfileParameter p, String s, List<ProfileViolation> violations) {
        if (!p.allowedValues().isEmpty() && !p.allowedValues().contains(s)) {
            violations.add(new ProfileViolation(p.name(), ProfileViolation.Kind.NOT_ALLOWED,
                    "must be one of " + p.allowedValues()));
        }
        if (p.maxLength() > 0 && s.codePointCount(0, s.length()) > p.maxLength()) {
            violations.add(new ProfileViolation(p.name(), ProfileViolation.Kind.TOO_LONG,
                    "must be at most " + p.maxLength() + " characters"));
        }
        return s;
    }

    private static List<String> checkList(ProfileParameter p, List<?> list, List<ProfileViolation> violations) {
        List<String> strings = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object e = list.get(i);
            if (!(e instanceof String s)) {
                violations.add(new ProfileViolation(p.name(), ProfileViolation.Kind.WRONG_TYPE,
                        "element " + i + " must be a string, not " + describe(e)));
                continue;
            }
            if (!p.allowedValues().isEmpty() && !p.allowedValues().contains(s)) {
                violations.add(new ProfileViolation(p.name(), ProfileViolation.Kind.NOT_ALLOWED,
                        "element " + i + " (" + s + ") must be one of " + p.allowedValues()));
            }
            strings.add(s);
        }
        if (p.maxLength() > 0 && list.size() > p.maxLength()) {
            violations.add(new ProfileViolation(p.name(), ProfileViolation.Kind.TOO_LONG,
                    "must have at most " + p.maxLength() + " elements"));
        }
        return strings;
    }

    private static Long integer(ProfileParameter p, Object value, List<ProfileViolation> violations) {
        BigInteger n = integral(value);
        if (n == null) {
            return null;
        }
        BigInteger min = p.minimum() == null ? BigInteger.valueOf(Long.MIN_VALUE) : BigInteger.valueOf(p.minimum());
        BigInteger max = p.maximum() == null ? BigInteger.valueOf(Long.MAX_VALUE) : BigInteger.valueOf(p.maximum());
        if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
            violations.add(new ProfileViolation(p.name(), ProfileViolation.Kind.OUT_OF_RANGE,
                    "must be between " + min + " and " + max));
            return null;
        }
        return n.longValueExact();
    }

    /** The value as an integer if it is a number without a fractional part, else null. */
    private static BigInteger integral(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigInteger.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger b) {
            return b;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) && d == Math.rint(d) ? new BigDecimal(d).toBigIntegerExact() : null;
        }
        if (value instanceof BigDecimal d) {
            try {
                return d.toBigIntegerExact();
            } catch (ArithmeticException fractional) {
                return null;
            }
        }
        return null;
    }

    private static String article(ParameterType type) {
        return switch (type) {
            case STRING -> "a string";
            case INTEGER -> "an integer";
            case BOOLEAN -> "a boolean";
            case STRING_LIST -> "a list of strings";
        };
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Map) {
            return "an object";
        }
        return value.getClass().getSimpleName();
    }
}
