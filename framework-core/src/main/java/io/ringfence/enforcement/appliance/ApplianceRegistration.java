package io.ringfence.enforcement.appliance;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What an appliance says about itself when it registers.
 *
 * @param id          chosen by the appliance, stable across its restarts; letters, digits, {@code . _ -},
 *                    at most 64 characters (it is a path segment of the API)
 * @param description one line for admins
 * @param hosts       the hosts whose vNICs it enforces; at least one, each known to the inventory
 * @param deltas      it accepts delta updates; when false it always receives its full state
 */
public record ApplianceRegistration(String id, String description, List<String> hosts, boolean deltas) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** @throws IllegalArgumentException if the id is malformed or there are no hosts */
    public ApplianceRegistration {
        if (!wellFormed(id)) {
            throw new IllegalArgumentException("malformed appliance id: " + id
                    + " (letters, digits, '.', '_', '-', at most 64, starting with a letter or digit)");
        }
        description = description == null ? "" : description;
        if (hosts == null || hosts.isEmpty()) {
            throw new IllegalArgumentException("appliance " + id + " names no host to enforce on");
        }
        hosts = hosts.stream().distinct().toList();
    }

    /** Whether {@code id} may name an appliance. */
    public static boolean wellFormed(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
