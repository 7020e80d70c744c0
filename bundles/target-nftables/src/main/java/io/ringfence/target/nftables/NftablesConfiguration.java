package io.ringfence.target.nftables;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How one nftables target is set up.
 *
 * @param targetId        the target's id (letters, digits, {@code . _ : -})
 * @param hosts           the hosts whose vNICs it enforces
 * @param interfaces      vNIC id to the name of the bridge port that is the vNIC's host side (e.g. the
 *                        host end of its veth pair, or its tap device)
 * @param command         how to run nft, e.g. {@code [nft]} or {@code [ip, netns, exec, hv1, nft]}
 * @param table           the name of the tables the target owns (one {@code inet}, one {@code bridge})
 * @param tokenQuarantine how long a verdict token rests before it is used again: at least the longest
 *                        idle time of a tracked connection (the kernel's TCP established timeout, 5 days
 *                        by default), see the package description
 * @param commandTimeout  how long one nft run may take
 */
public record NftablesConfiguration(String targetId, List<String> hosts, Map<String, String> interfaces,
                                    List<String> command, String table, Duration tokenQuarantine,
                                    Duration commandTimeout) {

    /** What Linux accepts as an interface name, less the characters that would need quoting. */
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,31}");

    /** The kernel's default nf_conntrack_tcp_timeout_established, plus an hour. */
    public static final Duration DEFAULT_QUARANTINE = Duration.ofDays(5).plusHours(1);

    /** @throws IllegalArgumentException naming the first malformed value */
    public NftablesConfiguration {
        hosts = List.copyOf(hosts);
        interfaces = Map.copyOf(interfaces);
        command = List.copyOf(command);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("target " + targetId + " covers no host");
        }
        if (command.isEmpty() || command.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("malformed nft command: " + command);
        }
        if (table == null || !TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("malformed table name: " + table);
        }
        interfaces.forEach((vnic, name) -> {
            if (!INTERFACE.matcher(name).matches()) {
                throw new IllegalArgumentException("malformed interface name for vNIC " + vnic + ": " + name);
            }
        });
        if (interfaces.values().stream().distinct().count() != interfaces.size()) {
            throw new IllegalArgumentException("two vNICs on one interface: " + interfaces);
        }
        if (tokenQuarantine.isNegative() || commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("durations must be positive");
        }
    }

    /**
     * A configuration from the text values an OSGi configuration holds: lists may come as arrays or
     * comma-separated, the command as words separated by spaces.
     *
     * @param interfaces entries {@code vnic=interface}
     */
    public static NftablesConfiguration parse(String targetId, String[] hosts, String[] interfaces, String command,
                                              String table, long quarantineSeconds, long commandTimeoutMillis) {
        Map<String, String> byVnic = new LinkedHashMap<>();
        for (String entry : split(interfaces)) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("interface entry is not vnic=interface: " + entry);
            }
            if (byVnic.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException("vNIC listed twice: " + entry);
            }
        }
        List<String> words = command == null ? List.of() : Arrays.stream(command.trim().split("\\s+"))
                .filter(w -> !w.isEmpty()).toList();
        return new NftablesConfiguration(targetId, split(hosts), byVnic, words, table,
                Duration.ofSeconds(quarantineSeconds), Duration.ofMillis(commandTimeoutMillis));
    }

    private static List<String> split(String[] values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.trim());
                    }
                }
            }
        }
        return out;
    }
}
