package io.ringfence.spi.inspection;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The configuration a function accepts in a profile: named, typed parameters. The framework
 * validates every profile an admin writes against it (unknown parameters, missing required ones,
 * wrong types and values out of range are refused) and publishes it over the REST API as a JSON
 * Schema.
 *
 * @param parameters the parameters, in display order; names unique
 */
public record ProfileSchema(List<ProfileParameter> parameters) {

    /** A function that takes no configuration. */
    public static final ProfileSchema EMPTY = new ProfileSchema(List.of());

    /** @throws IllegalArgumentException if two parameters share a name */
    public ProfileSchema {
        parameters = List.copyOf(parameters);
        Set<String> names = new HashSet<>();
        for (ProfileParameter p : parameters) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("duplicate profile parameter " + p.name());
            }
        }
    }

    /** A schema of the given parameters. */
    public static ProfileSchema of(ProfileParameter... parameters) {
        return new ProfileSchema(List.of(parameters));
    }

    /** The parameter named {@code name}, or null. */
    public ProfileParameter parameter(String name) {
        for (ProfileParameter p : parameters) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
