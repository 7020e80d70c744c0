package io.ringfence.spi.enforcement;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a target is.
 *
 * @param id          unique among targets, e.g. {@code nft:esx-01}; letters, digits, {@code . _ : -}
 * @param kind        hypervisor, virtual appliance or hardware
 * @param description one line for admins
 * @param hosts       the hosts whose vNICs this target enforces
 * @param deltas      the target accepts delta updates; when false it always receives full state
 */
public record TargetDescriptor(String id, TargetKind kind, String description, List<String> hosts, boolean deltas) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    /** @throws IllegalArgumentException if the id is malformed or the kind missing */
    public TargetDescriptor {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("malformed target id: " + id);
        }
        if (kind == null) {
            throw new IllegalArgumentException("target " + id + " has no kind");
        }
        description = description == null ? "" : description;
        hosts = List.copyOf(hosts);
    }

    /** The kinds of targets. */
    public enum TargetKind { HYPERVISOR, VIRTUAL_APPLIANCE, HARDWARE }
}
