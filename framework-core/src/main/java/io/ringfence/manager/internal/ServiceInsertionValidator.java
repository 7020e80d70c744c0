package io.ringfence.manager.internal;

import io.ringfence.manager.ModelSnapshot;
import io.ringfence.model.Kind;
import io.ringfence.model.RedirectionAction;
import io.ringfence.model.RedirectionPolicy;
import io.ringfence.model.RedirectionRule;
import io.ringfence.model.ServiceChain;
import io.ringfence.model.ServiceProfile;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of {@link ModelValidator}, for the service-insertion objects: service profiles,
 * service chains and redirection policies with their rules. Same conventions: every violation is
 * a JSON pointer into the submitted object, references must resolve in the model being built.
 */
final class ServiceInsertionValidator {

    /** A definition id, {@code vendor/name}; each part as the SPI's InspectionDescriptor accepts it. */
    static final Pattern DEFINITION = Pattern.compile(
            "[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?/[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?");
    /** A parameter name, as the SPI's ProfileParameter accepts it. */
    static final Pattern PARAMETER = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    static final int MAX_PARAMETERS = 256;
    static final int MAX_VALUE_DEPTH = 8;
    static final int MAX_VALUE_ELEMENTS = 1024;
    /** Every profile of a chain costs a call per packet: a longer chain is a mistake, not a design. */
    static final int MAX_CHAIN_LENGTH = 16;

    private ServiceInsertionValidator() {
    }

    static void validateServiceProfile(ServiceProfile p) {
        Violations v = new Violations("");
        ModelValidator.name(v, p.name(), true);
        ModelValidator.text(v, "/description", p.description());
        if (p.definition() == null || p.definition().isBlank()) {
            v.add("/definition", "is required: the partner's service definition, vendor/name");
        } else if (!DEFINITION.matcher(p.definition()).matches()) {
            v.add("/definition", "'" + p.definition() + "' is not a definition id: vendor/name, each of lower-case "
                    + "letters, digits and dashes (e.g. acme/ids)");
        }
        if (p.values().size() > MAX_PARAMETERS) {
            v.add("/values", "at most " + MAX_PARAMETERS + " parameters");
        }
        p.values().forEach((name, value) -> {
            String at = "/values/" + pointerToken(name);
            if (!PARAMETER.matcher(name).matches()) {
                v.add(at, "'" + name + "' is not a parameter name: letters, digits, _ and -, starting with a letter");
            } else {
                jsonValue(v, at, value, 1);
            }
        });
        v.throwIfAny();
    }

    /** A value as JSON reads it: string, number, boolean, array or object, bounded; no nulls. */
    private static void jsonValue(Violations v, String at, Object value, int depth) {
        if (value == null) {
            v.add(at, "must not be null; leave a parameter out to mean its default");
        } else if (depth > MAX_VALUE_DEPTH) {
            v.add(at, "values nest at most " + MAX_VALUE_DEPTH + " levels deep");
        } else if (value instanceof String s) {
            if (s.length() > ModelValidator.MAX_TEXT) {
                v.add(at, "must be at most " + ModelValidator.MAX_TEXT + " characters");
            }
        } else if (value instanceof List<?> list) {
            if (list.size() > MAX_VALUE_ELEMENTS) {
                v.add(at, "at most " + MAX_VALUE_ELEMENTS + " elements");
            } else {
                for (int i = 0; i < list.size(); i++) {
                    jsonValue(v, at + "/" + i, list.get(i), depth + 1);
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            if (map.size() > MAX_VALUE_ELEMENTS) {
                v.add(at, "at most " + MAX_VALUE_ELEMENTS + " members");
            } else {
                map.forEach((k, e) -> jsonValue(v, at + "/" + pointerToken(String.valueOf(k)), e, depth + 1));
            }
        } else if (!(value instanceof Number || value instanceof Boolean)) {
            v.add(at, "is not a JSON value");
        }
    }

    /** A map key as one token of a JSON pointer (RFC 6901). */
    private static String pointerToken(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    static void validateServiceChain(ModelSnapshot model, ServiceChain c) {
        Violations v = new Violations("");
        ModelValidator.name(v, c.name(), true);
        ModelValidator.text(v, "/description", c.description());
        if (c.profiles().isEmpty()) {
            v.add("/profiles", "a chain holds at least one service profile");
        } else if (c.profiles().size() > MAX_CHAIN_LENGTH) {
            v.add("/profiles", "a chain holds at most " + MAX_CHAIN_LENGTH + " service profiles");
        } else {
            ModelValidator.refs(v, "/profiles", c.profiles(), model, Kind.SERVICE_PROFILE);
        }
        if (c.reverseProfiles().size() > MAX_CHAIN_LENGTH) {
            v.add("/reverseProfiles", "a chain holds at most " + MAX_CHAIN_LENGTH + " service profiles");
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < c.reverseProfiles().size(); i++) {
                String id = c.reverseProfiles().get(i);
                String at = "/reverseProfiles/" + i;
                if (id == null || id.isBlank()) {
                    v.add(at, "must be a " + Kind.SERVICE_PROFILE + " id");
                } else if (!seen.add(id)) {
                    v.add(at, "duplicate reference to " + Kind.SERVICE_PROFILE + " '" + id + "'");
                } else if (!c.profiles().contains(id)) {
                    v.add(at, "'" + id + "' is not on the forward path: replies pass only profiles of the chain");
                }
            }
        }
        if (c.failurePolicy() == null) {
            v.add("/failurePolicy", "is required (ALLOW: fail-open, or BLOCK: fail-closed)");
        }
        if (c.deadlineMicros() < ServiceChain.MIN_DEADLINE_MICROS || c.deadlineMicros() > ServiceChain.MAX_DEADLINE_MICROS) {
            v.add("/deadlineMicros", "must be " + ServiceChain.MIN_DEADLINE_MICROS + "-" + ServiceChain.MAX_DEADLINE_MICROS
                    + " microseconds (100 µs to 1 s)");
        }
        v.throwIfAny();
    }

    static void validateRedirectionPolicy(ModelSnapshot model, RedirectionPolicy p) {
        Violations v = new Violations("");
        ModelValidator.name(v, p.name(), true);
        ModelValidator.text(v, "/description", p.description());
        if (p.sequence() != null && (p.sequence() < 0 || p.sequence() > ModelValidator.MAX_SEQUENCE)) {
            v.add("/sequence", "must be 0-" + ModelValidator.MAX_SEQUENCE);
        }
        if (p.sequence() != null) {
            for (RedirectionPolicy other : model.redirectionPolicies()) {
                if (!other.id().equals(p.id()) && p.sequence().equals(other.sequence())) {
                    v.add("/sequence", "sequence " + p.sequence() + " is already taken by redirection policy '"
                            + other.id() + "'");
                }
            }
        }
        if (p.rules().size() > ModelValidator.MAX_LIST) {
            v.add("/rules", "at most " + ModelValidator.MAX_LIST + " rules per redirection policy");
        }
        Map<String, String> ruleOwner = new HashMap<>();
        for (RedirectionPolicy other : model.redirectionPolicies()) {
            if (!other.id().equals(p.id())) {
                other.rules().forEach(r -> ruleOwner.put(r.id(), other.id()));
            }
        }
        Set<String> ids = new HashSet<>();
        Set<Integer> sequences = new HashSet<>();
        for (int i = 0; i < p.rules().size(); i++) {
            RedirectionRule r = p.rules().get(i);
            String at = "/rules/" + i;
            if (r == null) {
                v.add(at, "must not be null");
                continue;
            }
            validateRedirectionRule(v.at(at), model, r);
            if (!ids.add(r.id())) {
                v.add(at + "/id", "duplicate rule id '" + r.id() + "'");
            } else if (ruleOwner.containsKey(r.id())) {
                v.add(at + "/id", "rule id '" + r.id() + "' is already used in redirection policy '"
                        + ruleOwner.get(r.id()) + "'");
            }
            if (r.sequence() != null && !sequences.add(r.sequence())) {
                v.add(at + "/sequence", "duplicate rule sequence " + r.sequence() + " in this redirection policy");
            }
        }
        v.throwIfAny();
    }

    /** Checks one redirection rule; {@code v} carries the path prefix of the rule. */
    static void validateRedirectionRule(Violations v, ModelSnapshot model, RedirectionRule r) {
        if (r.id() != null && !ModelValidator.ID.matcher(r.id()).matches()) {
            v.add("/id", "must match " + ModelValidator.ID.pattern());
        }
        ModelValidator.name(v, r.name(), false);
        if (r.sequence() != null && (r.sequence() < 0 || r.sequence() > ModelValidator.MAX_SEQUENCE)) {
            v.add("/sequence", "must be 0-" + ModelValidator.MAX_SEQUENCE);
        }
        if (r.action() == null) {
            v.add("/action", "is required (REDIRECT or DO_NOT_REDIRECT)");
        } else if (r.action() == RedirectionAction.REDIRECT) {
            if (r.chain() == null || r.chain().isBlank()) {
                v.add("/chain", "is required: the service chain a REDIRECT rule steers to");
            } else if (model.find(Kind.SERVICE_CHAIN, r.chain()).isEmpty()) {
                v.add("/chain", Kind.SERVICE_CHAIN + " '" + r.chain() + "' does not exist");
            }
        } else if (r.chain() != null) {
            v.add("/chain", "a DO_NOT_REDIRECT rule names no service chain");
        }
        ModelValidator.refs(v, "/sources", r.sources(), model, Kind.GROUP);
        ModelValidator.refs(v, "/destinations", r.destinations(), model, Kind.GROUP);
        ModelValidator.refs(v, "/services", r.services(), model, Kind.SERVICE);
        ModelValidator.refs(v, "/appliedTo", r.appliedTo(), model, Kind.GROUP);
        if (r.sourcesNegated() && r.sources().isEmpty()) {
            v.add("/sourcesNegated", "negating ANY matches nothing; name the groups to exclude");
        }
        if (r.destinationsNegated() && r.destinations().isEmpty()) {
            v.add("/destinationsNegated", "negating ANY matches nothing; name the groups to exclude");
        }
    }
}
