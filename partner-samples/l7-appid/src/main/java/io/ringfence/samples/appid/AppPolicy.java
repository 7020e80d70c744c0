package io.ringfence.samples.appid;

import io.ringfence.samples.appid.protocol.App;
import io.ringfence.samples.appid.protocol.Identification;
import io.ringfence.spi.inspection.Alert;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.ProfileParameter;
import io.ringfence.spi.inspection.ProfileSchema;
import io.ringfence.spi.inspection.Verdict;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A profile of this function, read and checked: which applications and host names a flow may reach.
 *
 * <p>An identified flow is decided by the first of these that applies:
 * <ol>
 *   <li>nothing identified ({@code unknown}): {@code unknownAction};</li>
 *   <li>its application is in {@code denyApps}: deny;</li>
 *   <li>its host name matches a pattern of {@code denyHosts}: deny;</li>
 *   <li>its application is in {@code allowApps}: allow;</li>
 *   <li>its host name matches a pattern of {@code allowHosts}: allow;</li>
 *   <li>{@code defaultAction}.</li>
 * </ol>
 * Deny lists come first so that an allowed application cannot carry a denied host. SSH has no host
 * name, HTTP and TLS may lack one (no Host, no server name): host lists do not apply to them then.
 *
 * @param allowApps     applications allowed
 * @param denyApps      applications denied
 * @param allowHosts    host names allowed
 * @param denyHosts     host names denied
 * @param defaultAllow  whether {@code defaultAction} is {@code allow}
 * @param unknownAllow  whether {@code unknownAction} is {@code allow}
 * @param denyVerdict   what a denied flow's packets get: {@link Verdict#DROP} or {@link Verdict#REJECT}
 * @param maxBytes      how many bytes of each side to buffer at most while identifying
 */
record AppPolicy(Set<App> allowApps, Set<App> denyApps, List<HostPattern> allowHosts, List<HostPattern> denyHosts,
                 boolean defaultAllow, boolean unknownAllow, Verdict denyVerdict, int maxBytes) {

    static final String ALLOW_APPS = "allowApps";
    static final String DENY_APPS = "denyApps";
    static final String ALLOW_HOSTS = "allowHosts";
    static final String DENY_HOSTS = "denyHosts";
    static final String DEFAULT_ACTION = "defaultAction";
    static final String UNKNOWN_ACTION = "unknownAction";
    static final String ACTION = "action";
    static final String MAX_BYTES = "maxBytes";

    static final long DEFAULT_MAX_BYTES = 4096;
    static final int MIN_MAX_BYTES = 256;
    /** Two sides buffered this far still export within {@link io.ringfence.spi.inspection.SessionState#MAX_SIZE}. */
    static final int MAX_MAX_BYTES = 16_384;
    private static final int MAX_PATTERNS = 1000;
    private static final String[] APP_NAMES = {"http", "tls", "ssh", "dns"};

    /** The profile schema this function publishes. */
    static final ProfileSchema SCHEMA = ProfileSchema.of(
            ProfileParameter.stringList(ALLOW_APPS, "Applications allowed (http, tls, ssh, dns)").allowing(APP_NAMES),
            ProfileParameter.stringList(DENY_APPS, "Applications denied, before any allow list (http, tls, ssh, dns)")
                    .allowing(APP_NAMES),
            ProfileParameter.stringList(ALLOW_HOSTS, "Host names allowed; *.example.com matches any name below example.com")
                    .withMaxLength(MAX_PATTERNS),
            ProfileParameter.stringList(DENY_HOSTS, "Host names denied, before any allow list; *.example.com matches any"
                    + " name below example.com").withMaxLength(MAX_PATTERNS),
            ProfileParameter.string(DEFAULT_ACTION, "What an identified flow no list decides gets", "allow")
                    .allowing("allow", "deny"),
            ProfileParameter.string(UNKNOWN_ACTION, "What a flow gets when no application is identified within maxBytes",
                    "allow").allowing("allow", "deny"),
            ProfileParameter.string(ACTION, "How a denied flow's packets are blocked", "drop").allowing("drop", "reject"),
            ProfileParameter.integer(MAX_BYTES, "Bytes of each side buffered at most while identifying",
                    DEFAULT_MAX_BYTES, MIN_MAX_BYTES, MAX_MAX_BYTES));

    /**
     * A decision about an identified flow.
     *
     * @param allowed   allow or deny
     * @param signature what decided, for alerts: {@code app:<name>} or {@code host:<name>}
     * @param reason    the parameter that decided (and the pattern that matched)
     * @param severity  how serious a denial is: an admin's deny list names a threat, a default does not
     */
    record Decision(boolean allowed, String signature, String reason, Alert.Severity severity) {
    }

    /**
     * Reads and checks a profile.
     *
     * @throws IllegalArgumentException naming the parameter and value at fault (a malformed host
     *                                  pattern, mostly: the framework has checked the rest against {@link #SCHEMA})
     */
    static AppPolicy of(Profile profile) {
        long maxBytes = profile.integer(MAX_BYTES, DEFAULT_MAX_BYTES);
        if (maxBytes < MIN_MAX_BYTES || maxBytes > MAX_MAX_BYTES) {
            throw new IllegalArgumentException(MAX_BYTES + " must be within [" + MIN_MAX_BYTES + ", " + MAX_MAX_BYTES
                    + "]: " + maxBytes);
        }
        return new AppPolicy(apps(profile, ALLOW_APPS), apps(profile, DENY_APPS), hosts(profile, ALLOW_HOSTS),
                hosts(profile, DENY_HOSTS), choice(profile, DEFAULT_ACTION, "allow", "deny"),
                choice(profile, UNKNOWN_ACTION, "allow", "deny"),
                choice(profile, ACTION, "reject", "drop") ? Verdict.REJECT : Verdict.DROP, (int) maxBytes);
    }

    Decision decide(Identification flow) {
        App app = flow.app();
        String host = flow.host();
        if (app == App.UNKNOWN) {
            return new Decision(unknownAllow, "app:unknown", UNKNOWN_ACTION, Alert.Severity.LOW);
        }
        if (denyApps.contains(app)) {
            return new Decision(false, "app:" + app.id(), DENY_APPS, Alert.Severity.MEDIUM);
        }
        HostPattern denied = host == null ? null : firstMatch(denyHosts, host);
        if (denied != null) {
            return new Decision(false, "host:" + host, DENY_HOSTS + " " + denied, Alert.Severity.MEDIUM);
        }
        if (allowApps.contains(app)) {
            return new Decision(true, "app:" + app.id(), ALLOW_APPS, Alert.Severity.INFO);
        }
        HostPattern allowed = host == null ? null : firstMatch(allowHosts, host);
        if (allowed != null) {
            return new Decision(true, "host:" + host, ALLOW_HOSTS + " " + allowed, Alert.Severity.INFO);
        }
        return new Decision(defaultAllow, "app:" + app.id(), DEFAULT_ACTION, Alert.Severity.LOW);
    }

    private static HostPattern firstMatch(List<HostPattern> patterns, String host) {
        for (HostPattern pattern : patterns) {
            if (pattern.matches(host)) {
                return pattern;
            }
        }
        return null;
    }

    private static Set<App> apps(Profile profile, String parameter) {
        Set<App> apps = EnumSet.noneOf(App.class);
        for (String name : profile.stringList(parameter)) {
            App app = App.ofId(name);
            if (app == null || app == App.UNKNOWN) {
                throw new IllegalArgumentException(parameter + ": '" + name + "' is not one of "
                        + String.join(", ", APP_NAMES) + (app == null ? "" : " (unknown flows get " + UNKNOWN_ACTION + ")"));
            }
            apps.add(app);
        }
        return apps;
    }

    private static List<HostPattern> hosts(Profile profile, String parameter) {
        List<HostPattern> patterns = new ArrayList<>();
        for (String text : profile.stringList(parameter)) {
            try {
                patterns.add(HostPattern.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(parameter + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(patterns);
    }

    /** True for {@code yes}, false for {@code no}; a profile without a value gets the schema's default. */
    private static boolean choice(Profile profile, String parameter, String yes, String no) {
        ProfileParameter schema = SCHEMA.parameter(parameter);
        String value = Objects.requireNonNullElse(profile.string(parameter), (String) schema.defaultValue());
        if (!value.equals(yes) && !value.equals(no)) {
            throw new IllegalArgumentException(parameter + " must be one of " + String.join(", ", schema.allowedValues())
                    + ": '" + value + "'");
        }
        return value.equals(yes);
    }
}
