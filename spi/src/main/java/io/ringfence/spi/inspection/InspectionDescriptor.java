package io.ringfence.spi.inspection;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an inspection function is. {@code vendor} and {@code name} identify its service definition
 * across versions: admins' profiles refer to the definition, so that a new version of the bundle
 * serves the same profiles.
 *
 * @param vendor       the partner, e.g. {@code acme}; lower-case letters, digits and dashes
 * @param name         the function, e.g. {@code ids-signatures}; lower-case letters, digits and dashes
 * @param version      the function's version, {@code major.minor.patch} with an optional qualifier
 *                     ({@code 1.2.0}, {@code 1.2.0.beta1}); compared numerically, then by qualifier
 * @param description  one line for admins
 * @param profileSchema the configuration a profile of this function carries
 * @param exportsState sessions can {@link InspectionSession#exportState() export} their state
 * @param importsState the service can {@link InspectionService#resume resume} a session from exported state
 */
public record InspectionDescriptor(String vendor, String name, String version, String description,
                                   ProfileSchema profileSchema, boolean exportsState, boolean importsState) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?");
    private static final Pattern VERSION = Pattern.compile("\\d{1,9}\\.\\d{1,9}\\.\\d{1,9}(\\.[A-Za-z0-9_-]{1,64})?");

    /** @throws IllegalArgumentException if vendor, name or version are malformed */
    public InspectionDescriptor {
        if (vendor == null || !IDENTIFIER.matcher(vendor).matches()) {
            throw new IllegalArgumentException("vendor must be lower-case letters, digits and dashes: " + vendor);
        }
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be lower-case letters, digits and dashes: " + name);
        }
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("version must be major.minor.patch[.qualifier]: " + version);
        }
        description = description == null ? "" : description;
        profileSchema = Objects.requireNonNullElse(profileSchema, ProfileSchema.EMPTY);
    }

    /** The service definition's id: {@code vendor/name}. */
    public String definitionId() {
        return vendor + "/" + name;
    }

    /**
     * Orders versions as OSGi orders bundle versions: numerically by major, minor and patch, then by
     * qualifier as a string, no qualifier first ({@code 1.2.0 < 1.2.0.beta1 < 1.2.1}).
     */
    public static int compareVersions(String a, String b) {
        String[] x = a.split("\\.", 4);
        String[] y = b.split("\\.", 4);
        for (int i = 0; i < 3; i++) {
            int c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return (x.length > 3 ? x[3] : "").compareTo(y.length > 3 ? y[3] : "");
    }
}
