package io.ringfence.manager;

import io.ringfence.model.DefaultRule;
import io.ringfence.model.Entity;
import io.ringfence.model.Group;
import io.ringfence.model.Host;
import io.ringfence.model.Kind;
import io.ringfence.model.Policy;
import io.ringfence.model.RedirectionPolicy;
import io.ringfence.model.RedirectionRule;
import io.ringfence.model.Rule;
import io.ringfence.model.Service;
import io.ringfence.model.ServiceChain;
import io.ringfence.model.ServiceProfile;
import io.ringfence.model.Vm;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable view of the whole model at one revision. Objects of each kind are ordered by id.
 */
public final class ModelSnapshot {

    /** The model of a new installation. */
    public static final ModelSnapshot EMPTY = new ModelSnapshot(0, 0, Map.of(), DefaultRule.INITIAL);

    private final long revision;
    private final long committedRevision;
    private final Map<Kind<?>, NavigableMap<String, Entity>> objects;
    private final DefaultRule defaultRule;

    private ModelSnapshot(long revision, long committedRevision, Map<Kind<?>, NavigableMap<String, Entity>> objects,
                          DefaultRule defaultRule) {
        this.revision = revision;
        this.committedRevision = committedRevision;
        this.objects = objects;
        this.defaultRule = defaultRule;
    }

    /** The global revision of the last committed change. */
    public long revision() {
        return revision;
    }

    /**
     * The revision of the committed model this snapshot was derived from: its own revision for a
     * committed model; for a what-if model, the committed one the proposed changes were applied to.
     */
    public long committedRevision() {
        return committedRevision;
    }

    /** This snapshot as committed: its committed revision is its own. */
    public ModelSnapshot asCommitted() {
        return committedRevision == revision ? this : new ModelSnapshot(revision, revision, objects, defaultRule);
    }

    public DefaultRule defaultRule() {
        return defaultRule;
    }

    public <T extends Entity> Optional<T> find(Kind<T> kind, String id) {
        Entity e = map(kind).get(id);
        return e == null ? Optional.empty() : Optional.of(kind.cast(e));
    }

    /** All objects of a kind, ordered by id. */
    @SuppressWarnings("unchecked")
    public <T extends Entity> Collection<T> all(Kind<T> kind) {
        return (Collection<T>) Collections.unmodifiableCollection(map(kind).values());
    }

    public Collection<Host> hosts() {
        return all(Kind.HOST);
    }

    public Collection<Vm> vms() {
        return all(Kind.VM);
    }

    public Collection<Group> groups() {
        return all(Kind.GROUP);
    }

    public Collection<Service> services() {
        return all(Kind.SERVICE);
    }

    public Collection<Policy> policies() {
        return all(Kind.POLICY);
    }

    public Optional<Rule> findRule(String policyId, String ruleId) {
        return find(Kind.POLICY, policyId).flatMap(p -> p.rules().stream().filter(r -> r.id().equals(ruleId)).findFirst());
    }

    public Collection<ServiceProfile> serviceProfiles() {
        return all(Kind.SERVICE_PROFILE);
    }

    public Collection<ServiceChain> serviceChains() {
        return all(Kind.SERVICE_CHAIN);
    }

    public Collection<RedirectionPolicy> redirectionPolicies() {
        return all(Kind.REDIRECTION_POLICY);
    }

    public Optional<RedirectionRule> findRedirectionRule(String policyId, String ruleId) {
        return find(Kind.REDIRECTION_POLICY, policyId)
                .flatMap(p -> p.rules().stream().filter(r -> r.id().equals(ruleId)).findFirst());
    }

    private NavigableMap<String, Entity> map(Kind<?> kind) {
        NavigableMap<String, Entity> m = objects.get(kind);
        return m == null ? Collections.emptyNavigableMap() : m;
    }

    /** A snapshot with the changes of one commit applied. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Copy-on-write construction of the next snapshot: only the maps of kinds that change are copied.
     */
    public static final class Builder {
        private final ModelSnapshot base;
        private final Map<Kind<?>, NavigableMap<String, Entity>> objects;
        private final Map<Kind<?>, Boolean> copied = new HashMap<>();
        private DefaultRule defaultRule;
        private long revision;

        private Builder(ModelSnapshot base) {
            this.base = base;
            this.objects = new HashMap<>(base.objects);
            this.defaultRule = base.defaultRule;
            this.revision = base.revision;
        }

        public Builder put(Entity e) {
            writable(kindOf(e)).put(e.id(), e);
            return this;
        }

        public Builder remove(Kind<?> kind, String id) {
            writable(kind).remove(id);
            return this;
        }

        public Builder defaultRule(DefaultRule rule) {
            this.defaultRule = rule;
            return this;
        }

        public Builder revision(long newRevision) {
            this.revision = newRevision;
            return this;
        }

        public ModelSnapshot build() {
            Map<Kind<?>, NavigableMap<String, Entity>> frozen = new HashMap<>();
            objects.forEach((k, m) -> frozen.put(k, copied.containsKey(k) ? Collections.unmodifiableNavigableMap(m) : m));
            return new ModelSnapshot(revision, base.committedRevision, Map.copyOf(frozen), defaultRule);
        }

        private NavigableMap<String, Entity> writable(Kind<?> kind) {
            if (copied.putIfAbsent(kind, Boolean.TRUE) == null) {
                NavigableMap<String, Entity> m = base.objects.get(kind);
                objects.put(kind, m == null ? new TreeMap<>() : new TreeMap<>(m));
            }
            return objects.get(kind);
        }
    }

    /** The kind of an entity. */
    public static Kind<?> kindOf(Entity e) {
        if (e instanceof Host) {
            return Kind.HOST;
        } else if (e instanceof Vm) {
            return Kind.VM;
        } else if (e instanceof Group) {
            return Kind.GROUP;
        } else if (e instanceof Service) {
            return Kind.SERVICE;
        } else if (e instanceof Policy) {
            return Kind.POLICY;
        } else if (e instanceof ServiceProfile) {
            return Kind.SERVICE_PROFILE;
        } else if (e instanceof ServiceChain) {
            return Kind.SERVICE_CHAIN;
        } else {
            return Kind.REDIRECTION_POLICY;
        }
    }
}
