package io.ringfence.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Short ways to build service-insertion objects in tests (profiles, chains, redirection policies
 * and rules); shipped in the test-jar with {@link ModelFixtures}. Objects come without revision.
 */
public final class InsertionFixtures {

    private InsertionFixtures() {
    }

    public static ServiceProfile profile(String id, String definition, Map<String, Object> values) {
        return new ServiceProfile(id, "profile " + id, null, definition, values, 0);
    }

    /** A fail-closed chain with the default deadline and the default reply path. */
    public static ServiceChain chain(String id, String... profiles) {
        return new ServiceChain(id, "chain " + id, null, List.of(profiles), null, FailurePolicy.BLOCK, null, 0);
    }

    public static RedirectionPolicy redirectionPolicy(String id, Integer sequence, RedirectionRule... rules) {
        return new RedirectionPolicy(id, "redirection " + id, null, sequence, false, List.of(rules), 0);
    }

    /** A rule redirecting to {@code chain}: any to any, IN_OUT, no sequence unless set. */
    public static RedirectionRuleBuilder redirect(String id, String chain) {
        return new RedirectionRuleBuilder(id, RedirectionAction.REDIRECT, chain);
    }

    /** A DO_NOT_REDIRECT rule: any to any, IN_OUT, no sequence unless set. */
    public static RedirectionRuleBuilder doNotRedirect(String id) {
        return new RedirectionRuleBuilder(id, RedirectionAction.DO_NOT_REDIRECT, null);
    }

    /** Builds a {@link RedirectionRule}; every list starts empty. */
    public static final class RedirectionRuleBuilder {
        private final String id;
        private final RedirectionAction action;
        private final String chain;
        private String name;
        private Integer sequence;
        private final List<String> sources = new ArrayList<>();
        private boolean sourcesNegated;
        private final List<String> destinations = new ArrayList<>();
        private boolean destinationsNegated;
        private final List<String> services = new ArrayList<>();
        private final List<String> appliedTo = new ArrayList<>();
        private Direction direction = Direction.IN_OUT;
        private boolean disabled;

        private RedirectionRuleBuilder(String id, RedirectionAction action, String chain) {
            this.id = id;
            this.action = action;
            this.chain = chain;
        }

        public RedirectionRuleBuilder name(String value) {
            this.name = value;
            return this;
        }

        public RedirectionRuleBuilder sequence(Integer value) {
            this.sequence = value;
            return this;
        }

        public RedirectionRuleBuilder sources(String... ids) {
            sources.addAll(List.of(ids));
            return this;
        }

        public RedirectionRuleBuilder sourcesNegated(boolean value) {
            this.sourcesNegated = value;
            return this;
        }

        public RedirectionRuleBuilder destinations(String... ids) {
            destinations.addAll(List.of(ids));
            return this;
        }

        public RedirectionRuleBuilder destinationsNegated(boolean value) {
            this.destinationsNegated = value;
            return this;
        }

        public RedirectionRuleBuilder services(String... ids) {
            services.addAll(List.of(ids));
            return this;
        }

        public RedirectionRuleBuilder appliedTo(String... ids) {
            appliedTo.addAll(List.of(ids));
            return this;
        }

        public RedirectionRuleBuilder direction(Direction value) {
            this.direction = value;
            return this;
        }

        public RedirectionRuleBuilder disabled(boolean value) {
            this.disabled = value;
            return this;
        }

        public RedirectionRule build() {
            return new RedirectionRule(id, name, sequence, sources, sourcesNegated, destinations, destinationsNegated,
                    services, appliedTo, direction, action, chain, disabled, 0);
        }
    }
}
