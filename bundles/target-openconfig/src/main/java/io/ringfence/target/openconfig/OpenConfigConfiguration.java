package io.ringfence.target.openconfig;

import io.ringfence.spi.enforcement.TargetRuleSet;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How one device target is set up.
 *
 * @param targetId          the target's id (letters, digits, {@code . _ : -})
 * @param baseUrl           the device's RESTCONF server, {@code http} or {@code https}, without
 *                          {@code /restconf}; credentials never go in it
 * @param username          for HTTP basic authentication
 * @param password          for HTTP basic authentication; never printed
 * @param hosts             the hosts whose vNICs the device enforces
 * @param interfaces        vNIC id to the ACL interface id of the device port that faces it:
 *                          {@code <interface>} or {@code <interface>.<subinterface index>}
 * @param interfaceTemplate for vNICs not in {@code interfaces}: an interface id with
 *                          {@code {vnic}} and/or {@code {vm}} in it; empty for none
 * @param maxEntries        the most ACL entries the device is given (its ACL memory, with room)
 * @param connectTimeout    how long to wait for a connection to the device
 * @param requestTimeout    how long to wait for the device's answer to a push
 */
public record OpenConfigConfiguration(String targetId, URI baseUrl, String username, String password,
                                      List<String> hosts, Map<String, String> interfaces, String interfaceTemplate,
                                      int maxEntries, Duration connectTimeout, Duration requestTimeout) {

    /** The ACL interface id: printable, bounded. */
    private static final Pattern INTERFACE_ID = Pattern.compile("[^\\p{Cntrl}\\s]{1,200}");

    /** @throws IllegalArgumentException naming the first malformed value (never the password) */
    public OpenConfigConfiguration {
        hosts = List.copyOf(hosts);
        interfaces = Map.copyOf(interfaces);
        interfaceTemplate = interfaceTemplate == null ? "" : interfaceTemplate.trim();
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("target " + targetId + " covers no host");
        }
        checkBaseUrl(baseUrl);
        if (username == null || username.isBlank() || username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("target " + targetId + ": a username (without ':') is required");
        }
        if (password == null) {
            throw new IllegalArgumentException("target " + targetId + ": a password is required");
        }
        interfaces.forEach((vnic, id) -> {
            if (!isInterfaceId(id)) {
                throw new IllegalArgumentException("malformed interface id for vNIC " + vnic + ": " + id);
            }
        });
        if (interfaces.values().stream().distinct().count() != interfaces.size()) {
            throw new IllegalArgumentException("two vNICs on one interface: " + interfaces);
        }
        if (!interfaceTemplate.isEmpty() && !interfaceTemplate.contains("{vnic}") && !interfaceTemplate.contains("{vm}")) {
            throw new IllegalArgumentException("interface template names no vNIC ({vnic}) or VM ({vm}): "
                    + interfaceTemplate);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    private static void checkBaseUrl(URI url) {
        if (url == null || url.getScheme() == null || url.getHost() == null
                || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
            throw new IllegalArgumentException("the base URL must be http(s)://host[:port][/path]: " + url);
        }
        if (url.getRawUserInfo() != null) {
            // saying which URL would print the credentials it holds
            throw new IllegalArgumentException("the base URL must not hold credentials: use username and password");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("the base URL takes no query or fragment: " + url);
        }
    }

    /**
     * A configuration from the text values an OSGi configuration holds: lists may come as arrays or
     * comma-separated.
     *
     * @param interfaces entries {@code vnic=interface-id}
     */
    public static OpenConfigConfiguration parse(String targetId, String baseUrl, String username, String password,
                                                String[] hosts, String[] interfaces, String interfaceTemplate,
                                                int maxEntries, long connectTimeoutMillis, long requestTimeoutMillis) {
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
        URI url;
        try {
            url = new URI(baseUrl == null ? "" : baseUrl.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed base URL (" + e.getReason() + ")");
        }
        return new OpenConfigConfiguration(targetId, url, username, password, split(hosts), byVnic,
                interfaceTemplate, maxEntries, Duration.ofMillis(connectTimeoutMillis),
                Duration.ofMillis(requestTimeoutMillis));
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

    /** The data resource every update replaces. */
    URI aclResource() {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/restconf/data/" + AclJson.ROOT);
    }

    /** Whether a text may be an ACL interface id: printable, no blanks, bounded. */
    static boolean isInterfaceId(String id) {
        return INTERFACE_ID.matcher(id).matches();
    }

    /** The ACL interface id of the port facing a vNIC, or null if the configuration gives none. */
    String interfaceOf(TargetRuleSet ruleSet) {
        String id = interfaces.get(ruleSet.vnicId());
        if (id == null && !interfaceTemplate.isEmpty()) {
            id = interfaceTemplate.replace("{vnic}", ruleSet.vnicId()).replace("{vm}", ruleSet.vmId());
        }
        return id;
    }

    /** Everything but the credentials. */
    @Override
    public String toString() {
        return "OpenConfigConfiguration[targetId=" + targetId + ", baseUrl=" + baseUrl
                + ", username=(hidden), password=(hidden), hosts=" + hosts + ", interfaces=" + interfaces + ", interfaceTemplate="
                + interfaceTemplate + ", maxEntries=" + maxEntries + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + "]";
    }
}
