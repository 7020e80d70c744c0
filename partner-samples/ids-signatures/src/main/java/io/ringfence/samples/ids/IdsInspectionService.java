package io.ringfence.samples.ids;

import io.ringfence.samples.ids.signature.SignatureParser;
import io.ringfence.samples.ids.signature.SignatureSet;
import io.ringfence.samples.ids.signature.SignatureSyntaxException;
import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.Health;
import io.ringfence.spi.inspection.InspectionDescriptor;
import io.ringfence.spi.inspection.InspectionService;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.SessionState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The signature IDS/IPS as an inspection function, in plain Java ({@link OSGiIdsInspectionService}
 * registers it; tests and the benchmarks create it with {@code new}). Shared by every flow: its only
 * mutable state is the cache of compiled signature sets, a concurrent map.
 */
public final class IdsInspectionService implements InspectionService {

    static final String VENDOR = "ringfence-samples";
    static final String NAME = "ids-signatures";

    /** The resource, next to this class, holding the built-in rules. */
    static final String BUILT_IN_RULES_RESOURCE = "default.rules";

    /**
     * Distinct rule sets kept compiled. Profiles are few; the bound only stops edited profiles from
     * piling up old sets (a large set takes a few MiB: its automata's full transition rows). When it
     * is reached the cache starts over (sessions keep their own set).
     */
    private static final int CACHED_RULE_SETS = 16;

    private final InspectionDescriptor descriptor;
    private final String builtInRules;
    private final ConcurrentMap<IdsSettings.Rules, SignatureSet> compiled = new ConcurrentHashMap<>();

    /**
     * @param version      the function's version (the bundle's)
     * @param builtInRules the text of the built-in rules
     * @throws SignatureSyntaxException if the built-in rules do not parse
     */
    public IdsInspectionService(String version, String builtInRules) {
        this.descriptor = new InspectionDescriptor(VENDOR, NAME, version,
                "Signature IDS/IPS: content signatures matched across the packets of a flow",
                IdsSettings.SCHEMA, true, true);
        this.builtInRules = builtInRules;
        signatures(new IdsSettings.Rules(true, List.of()));
    }

    /** The built-in rules shipped in the bundle. */
    public static String builtInRules() {
        try (InputStream in = IdsInspectionService.class.getResourceAsStream(BUILT_IN_RULES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks its built-in rules " + BUILT_IN_RULES_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in rules", e);
        }
    }

    @Override
    public InspectionDescriptor descriptor() {
        return descriptor;
    }

    /** @throws IllegalArgumentException if the profile's rules do not parse (the message names the rule, line and column) */
    @Override
    public IdsSession open(FlowContext flow, Profile profile, AlertSink alerts) {
        IdsSettings settings = IdsSettings.of(profile);
        SignatureSet set;
        try {
            set = signatures(settings.rules());
        } catch (SignatureSyntaxException e) {
            throw new IllegalArgumentException("profile " + profile.id() + ": " + e.getMessage(), e);
        }
        return new IdsSession(flow, profile.id(), settings, set, alerts);
    }

    /** @throws IllegalArgumentException if the state is not of a format this version reads, or corrupt */
    @Override
    public InspectionSession resume(FlowContext flow, Profile profile, AlertSink alerts, SessionState state) {
        IdsSession session = open(flow, profile, alerts);
        SessionStateFormat.read(state, session);
        return session;
    }

    @Override
    public Health health() {
        return Health.UP;
    }

    /** The compiled set of {@code rules}, compiled once however many flows use it. */
    SignatureSet signatures(IdsSettings.Rules rules) {
        SignatureSet cached = compiled.get(rules);
        if (cached != null) {
            return cached;
        }
        if (compiled.size() >= CACHED_RULE_SETS) {
            compiled.clear();
        }
        return compiled.computeIfAbsent(rules, this::compile);
    }

    private SignatureSet compile(IdsSettings.Rules rules) {
        SignatureParser parser = new SignatureParser();
        if (rules.builtIn()) {
            parser.parse(builtInRules, "built-in rules");
        }
        for (int i = 0; i < rules.extra().size(); i++) {
            parser.parse(rules.extra().get(i), "rules[" + i + "]");
        }
        return SignatureSet.compile(parser.signatures());
    }
}
