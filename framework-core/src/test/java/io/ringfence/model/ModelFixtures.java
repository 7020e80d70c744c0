package io.ringfence.model;

import io.ringfence.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Short ways to build model objects in tests; shipped in the test-jar for other modules' tests.
 * Objects come without revision (the manager assigns it); builders cover the records with many fields.
 */
public final class ModelFixtures {

    private ModelFixtures() {
    }

    public static Host host(String id) {
        return new Host(id, "host " + id, null, null, 0);
    }

    public static Vm vm(String id, String hostId, Vnic... vnics) {
        return new Vm(id, "vm " + id, hostId, null, List.of(), List.of(vnics), 0);
    }

    public static Vm vm(String id, String name, String hostId, String os, List<String> tags, Vnic... vnics) {
        return new Vm(id, name, hostId, os, tags, List.of(vnics), 0);
    }

    /** A vNIC without id (the manager assigns it) on {@code segment} with the given addresses. */
    public static Vnic vnic(String mac, String segment, String... addresses) {
        return new Vnic(null, MacAddress.parse(mac), prefixes(addresses), segment);
    }

    public static List<IpPrefix> prefixes(String... texts) {
        return Stream.of(texts).map(IpPrefix::parse).toList();
    }

    public static Service service(String id, ServiceEntry... entries) {
        return new Service(id, "service " + id, null, List.of(entries), 0);
    }

    public static ServiceEntry tcp(String... ports) {
        return new ServiceEntry(Protocol.TCP, Stream.of(ports).map(PortRange::parse).toList(), List.of(), null, null);
    }

    public static ServiceEntry icmp(Integer type, Integer code) {
        return new ServiceEntry(Protocol.ICMP, List.of(), List.of(), type, code);
    }

    public static Policy policy(String id, Category category, Integer sequence, Rule... rules) {
        return new Policy(id, "policy " + id, null, category, sequence, List.of(rules), 0);
    }

    public static Criterion.Condition condition(Criterion.Attribute attribute, Criterion.Operator operator,
                                                String value) {
        return new Criterion.Condition(attribute, operator, value);
    }

    public static Criterion.Condition tagEquals(String tag) {
        return condition(Criterion.Attribute.TAG, Criterion.Operator.EQUALS, tag);
    }

    public static Criterion all(Criterion... terms) {
        return new Criterion.All(List.of(terms));
    }

    public static Criterion any(Criterion... terms) {
        return new Criterion.Any(List.of(terms));
    }

    public static GroupBuilder group(String id) {
        return new GroupBuilder(id);
    }

    public static RuleBuilder rule(String id) {
        return new RuleBuilder(id);
    }

    /** Builds a {@link Group}; every list starts empty. */
    public static final class GroupBuilder {
        private final String id;
        private String name;
        private String description;
        private Criterion criteria;
        private final List<String> vms = new ArrayList<>();
        private final List<IpPrefix> addresses = new ArrayList<>();
        private final List<String> groups = new ArrayList<>();
        private final List<String> excludedVms = new ArrayList<>();
        private final List<String> excludedGroups = new ArrayList<>();
        private final List<IpPrefix> excludedAddresses = new ArrayList<>();

        private GroupBuilder(String id) {
            this.id = id;
            this.name = "group " + id;
        }

        public GroupBuilder name(String value) {
            this.name = value;
            return this;
        }

        public GroupBuilder description(String value) {
            this.description = value;
            return this;
        }

        public GroupBuilder criteria(Criterion value) {
            this.criteria = value;
            return this;
        }

        public GroupBuilder vms(String... ids) {
            vms.addAll(List.of(ids));
            return this;
        }

        public GroupBuilder addresses(String... prefixes) {
            addresses.addAll(prefixes(prefixes));
            return this;
        }

        public GroupBuilder groups(String... ids) {
            groups.addAll(List.of(ids));
            return this;
        }

        public GroupBuilder excludedVms(String... ids) {
            excludedVms.addAll(List.of(ids));
            return this;
        }

        public GroupBuilder excludedGroups(String... ids) {
            excludedGroups.addAll(List.of(ids));
            return this;
        }

        public GroupBuilder excludedAddresses(String... prefixes) {
            excludedAddresses.addAll(prefixes(prefixes));
            return this;
        }

        public Group build() {
            return new Group(id, name, description, criteria, vms, addresses, groups, excludedVms, excludedGroups,
                    excludedAddresses, 0);
        }
    }

    /** Builds a {@link Rule}: ALLOW, any to any, IN_OUT, no sequence unless set. */
    public static final class RuleBuilder {
        private final String id;
        private String name;
        private Integer sequence;
        private final List<String> sources = new ArrayList<>();
        private boolean sourcesNegated;
        private final List<String> destinations = new ArrayList<>();
        private boolean destinationsNegated;
        private final List<String> services = new ArrayList<>();
        private final List<String> appliedTo = new ArrayList<>();
        private Direction direction = Direction.IN_OUT;
        private Action action = Action.ALLOW;
        private boolean logged;
        private boolean disabled;
        private boolean staged;
        private String tag;

        private RuleBuilder(String id) {
            this.id = id;
        }

        public RuleBuilder name(String value) {
            this.name = value;
            return this;
        }

        public RuleBuilder sequence(Integer value) {
            this.sequence = value;
            return this;
        }

        public RuleBuilder sources(String... ids) {
            sources.addAll(List.of(ids));
            return this;
        }

        public RuleBuilder sourcesNegated(boolean value) {
            this.sourcesNegated = value;
            return this;
        }

        public RuleBuilder destinations(String... ids) {
            destinations.addAll(List.of(ids));
            return this;
        }

        public RuleBuilder destinationsNegated(boolean value) {
            this.destinationsNegated = value;
            return this;
        }

        public RuleBuilder services(String... ids) {
            services.addAll(List.of(ids));
            return this;
        }

        public RuleBuilder appliedTo(String... ids) {
            appliedTo.addAll(List.of(ids));
            return this;
        }

        public RuleBuilder direction(Direction value) {
            this.direction = value;
            return this;
        }

        public RuleBuilder action(Action value) {
            this.action = value;
            return this;
        }

        public RuleBuilder logged(boolean value) {
            this.logged = value;
            return this;
        }

        public RuleBuilder disabled(boolean value) {
            this.disabled = value;
            return this;
        }

        public RuleBuilder staged(boolean value) {
            this.staged = value;
            return this;
        }

        public RuleBuilder tag(String value) {
            this.tag = value;
            return this;
        }

        public Rule build() {
            return new Rule(id, name, sequence, sources, sourcesNegated, destinations, destinationsNegated, services,
                    appliedTo, direction, action, logged, disabled, staged, tag, 0);
        }
    }
}
