package io.ringfence.manager.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.manager.AlreadyExistsException;
import io.ringfence.manager.EntityFilters;
import io.ringfence.manager.InUseException;
import io.ringfence.manager.ListQuery;
import io.ringfence.manager.Members;
import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelChangeEvent;
import io.ringfence.manager.ModelChangeEvent.ChangedObject;
import io.ringfence.manager.ModelListener;
import io.ringfence.manager.ModelService;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.NotFoundException;
import io.ringfence.manager.Page;
import io.ringfence.manager.RevisionMismatchException;
import io.ringfence.manager.ValidationException;
import io.ringfence.manager.Violation;
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
import io.ringfence.model.json.ModelJson;
import io.ringfence.store.AuditPage;
import io.ringfence.store.AuditQuery;
import io.ringfence.store.AuditRecord;
import io.ringfence.store.AuditRecord.Operation;
import io.ringfence.store.Document;
import io.ringfence.store.DocumentKey;
import io.ringfence.store.ModelChange;
import io.ringfence.store.ModelStore;
import io.ringfence.store.StoreConflictException;
import io.ringfence.store.StoreException;
import io.ringfence.store.StoredModel;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Owns the model: one writer at a time computes the next snapshot, validates it against the
 * whole model, commits it to the store and only then publishes it. Readers take the current
 * immutable snapshot without locking.
 *
 * <p>Revisions: every commit takes the next global revision, and each object (and rule) changed
 * by it is stamped with that revision, which is its ETag. Replacing an object with an identical
 * one changes nothing and bumps nothing.
 */
public final class ModelManager implements ModelService, ModelAdminService {

    private static final System.Logger LOG = System.getLogger(ModelManager.class.getName());

    static final String SETTING_KIND = "setting";
    static final String DEFAULT_RULE_ID = "default-rule";
    static final String RULE_KIND = "rule";
    static final String REDIRECTION_RULE_KIND = "redirection-rule";
    static final int SEQUENCE_STEP = 10;

    private final ModelStore store;
    private final Clock clock;
    private final Supplier<String> idGenerator;
    private final ObjectMapper json = ModelJson.mapper();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final List<ModelListener> listeners = new CopyOnWriteArrayList<>();
    private volatile ModelSnapshot current;

    public ModelManager(ModelStore store, Clock clock) {
        this(store, clock, () -> UUID.randomUUID().toString());
    }

    ModelManager(ModelStore store, Clock clock, Supplier<String> idGenerator) {
        this.store = store;
        this.clock = clock;
        this.idGenerator = idGenerator;
        this.current = load(store.load());
    }

    /** A scratch manager for {@link #whatIf}: starts from {@code snapshot}, commits nowhere. */
    private ModelManager(ModelSnapshot snapshot, Clock clock, Supplier<String> idGenerator) {
        this.store = null;
        this.clock = clock;
        this.idGenerator = idGenerator;
        this.current = snapshot;
    }

    /**
     * Tells {@code listener} of every change committed from now on, after telling it of the
     * current model as an event from and to it (with nothing changed), so that a listener that
     * starts from another model knows where it stands.
     */
    public void addListener(ModelListener listener) {
        writeLock.lock();
        try {
            listeners.add(listener);
            ModelSnapshot now = current;
            try {
                listener.modelChanged(new ModelChangeEvent(now, now, List.of(), false));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "a model listener failed on the current model", e);
            }
        } finally {
            writeLock.unlock();
        }
    }

    public void removeListener(ModelListener listener) {
        listeners.remove(listener);
    }

    @Override
    public ModelSnapshot whatIf(Consumer<ModelAdminService> change) {
        ModelManager scratch = new ModelManager(current, clock, idGenerator);
        change.accept(scratch);
        return scratch.snapshot();
    }

    // ---- reading

    @Override
    public ModelSnapshot snapshot() {
        return current;
    }

    @Override
    public <T extends Entity> Page<T> list(Kind<T> kind, ListQuery query) {
        // refuse an unknown filter even when there is nothing to test it on
        EntityFilters.requireKnown(kind, query.filters());
        List<T> matching = new ArrayList<>();
        for (T e : current.all(kind)) {
            if (EntityFilters.matches(kind, e, query.filters())) {
                matching.add(e);
            }
        }
        int from = Math.min(query.offset(), matching.size());
        int to = Math.min(from + query.limit(), matching.size());
        return new Page<>(matching.size(), query.offset(), query.limit(), matching.subList(from, to));
    }

    @Override
    public Members members(String groupId) {
        ModelSnapshot s = current;
        Group g = s.find(Kind.GROUP, groupId).orElseThrow(() -> new NotFoundException(Kind.GROUP.name(), groupId));
        return new MembershipEvaluator(s).members(g);
    }

    @Override
    public AuditPage audit(AuditQuery query) {
        return store == null ? new AuditPage(0, List.of()) : store.audit(query);
    }

    // ---- writing

    @Override
    public <T extends Entity> T create(Kind<T> kind, T object, String principal) {
        Objects.requireNonNull(object, "object");
        writeLock.lock();
        try {
            ModelSnapshot base = current;
            Violations v = new Violations("");
            ModelValidator.validateId(v, object.id());
            v.throwIfAny();
            String id = object.id() != null ? object.id() : idGenerator.get();
            if (base.find(kind, id).isPresent()) {
                throw new AlreadyExistsException(kind.name(), id);
            }
            long rev = base.revision() + 1;
            T stored = kind.cast(normalize(base, object.withIdentity(id, rev), null, rev));
            return commitEntity(base, kind, stored, null, principal);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public <T extends Entity> T replace(Kind<T> kind, String id, T object, Long expectedRevision, String principal) {
        Objects.requireNonNull(object, "object");
        writeLock.lock();
        try {
            ModelSnapshot base = current;
            T existing = base.find(kind, id).orElseThrow(() -> new NotFoundException(kind.name(), id));
            checkRevision(kind.name(), id, expectedRevision, existing.revision());
            if (object.id() != null && !object.id().equals(id)) {
                throw new ValidationException(List.of(new Violation("/id",
                        "'" + object.id() + "' does not match the id in the path '" + id + "'")));
            }
            long rev = base.revision() + 1;
            T stored = kind.cast(normalize(base, object.withIdentity(id, rev), existing, rev));
            if (stored.withIdentity(id, 0).equals(existing.withIdentity(id, 0))) {
                return existing;
            }
            return commitEntity(base, kind, stored, existing, principal);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void delete(Kind<?> kind, String id, Long expectedRevision, String principal) {
        writeLock.lock();
        try {
            ModelSnapshot base = current;
            Entity existing = base.find(kind, id).orElseThrow(() -> new NotFoundException(kind.name(), id));
            checkRevision(kind.name(), id, expectedRevision, existing.revision());
            var users = References.usersOf(base, kind, id);
            if (!users.isEmpty()) {
                throw new InUseException(kind.name(), id, users);
            }
            long rev = base.revision() + 1;
            ModelSnapshot after = base.toBuilder().remove(kind, id).revision(rev).build();
            commit(base, after, List.of(), List.of(new DocumentKey(kind.name(), id)),
                    audit(rev, principal, Operation.DELETE, kind.name(), id, existing, null));
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Rule createRule(String policyId, Rule rule, String principal) {
        Objects.requireNonNull(rule, "rule");
        writeLock.lock();
        try {
            ModelSnapshot base = current;
            Policy policy = policyOf(base, policyId);
            long rev = base.revision() + 1;
            String id = rule.id() != null ? rule.id() : idGenerator.get();
            Integer sequence = rule.sequence() != null ? rule.sequence() : nextRuleSequence(policy.rules());
            Rule stored = rule.withIdentity(id, sequence, rev);
            validateRuleChange(base, policy, stored, null);
            List<Rule> rules = new ArrayList<>(policy.rules());
            rules.add(stored);
            Policy updated = policy.withRules(sortRules(rules)).withIdentity(policy.id(), rev);
            commitPolicyWithRule(base, updated, rev, principal, Operation.CREATE, id, null, stored);
            return stored;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Rule replaceRule(String policyId, String ruleId, Rule rule, Long expectedRevision, String principal) {
        Objects.requireNonNull(rule, "rule");
        writeLock.lock();
        try {
            ModelSnapshot base = current;
            Policy policy = policyOf(base, policyId);
            Rule existing = ruleOf(policy, ruleId);
            checkRevision(RULE_KIND, ruleId, expectedRevision, existing.revision());
            if (rule.id() != null && !rule.id().equals(ruleId)) {
                throw new ValidationException(List.of(new Violation("/id",
                        "'" + rule.id() + "' does not match the id in the path '" + ruleId + "'")));
            }
            long rev = base.revision() + 1;
            Integer sequence = rule.sequence() != null ? rule.sequence() : existing.sequence();
            Rule stored = rule.withIdentity(ruleId, sequence, rev);
            if (stored.withIdentity(ruleId, sequence, 0).equals(existing.withIdentity(ruleId, existing.sequence(), 0))) {
                return existing;
            }
            validateRuleChange(base, policy, stored, ruleId);
            List<Rule> rules = new ArrayList<>();
            for (Rule r : policy.rules()) {
                rules.add(r.id().equals(ruleId) ? stored : r);
            }
            Policy updated = policy.withRules(sortRules(rules)).withIdentity(policy.id(), rev);
            commitPolicyWithRule(base, updated, rev, principal, Operation.UPDATE, ruleId, existing, stored);
            return stored;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void deleteRule(String policyId, String ruleId, Long expectedRevision, String principal) {
        writeLock.lock();
        try {
            ModelSnapshot base = current;
            Policy policy = policyOf(base, policyId);
            Rule existing = ruleOf(policy, ruleId);
            checkRevision(RULE_KIND, ruleId, expectedRevision, existing.revision());
            long rev = base.revision() + 1;
            List<Rule> rules = policy.rules().stream().filter(r -> !r.id().equals(ruleId)).toList();
            Policy updated = policy.withRules(rules).withIdentity(policy.id(), rev);
            commitPolicyWithRule(base, updated, rev, principal, Operation.DELETE, ruleId, existing, null);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public RedirectionRule createRedirectionRule(String policyId, RedirectionRule rule, String principal) {
        Objects.requireNonNull(rule, "rule");
        writeLock.lock();
        try {
            ModelSnapshot base = current;
            RedirectionPolicy policy = redirectionPolicyOf(base, policyId);
            long rev = base.revision() + 1;
            String id = rule.id() != null ? rule.id() : idGenerator.get();
            Integer sequence = rule.sequence() != null ? rule.sequence()
                    : nextSequence(policy.rules().stream().map(RedirectionRule::sequence).toList());
            RedirectionRule stored = rule.withIdentity(id, sequence, rev);
            validateRedirectionRuleChange(base, policy, stored, null);
            List<RedirectionRule> rules = new ArrayList<>(policy.rules());
            rules.add(stored);
            commitRedirectionRule(base, policy.withRules(sortBySequence(rules, RedirectionRule::sequence))
                    .withIdentity(policy.id(), rev), principal, Operation.CREATE, id, null, stored);
            return stored;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public RedirectionRule replaceRedirectionRule(String policyId, String ruleId, RedirectionRule rule,
                                                  Long expectedRevision, String principal) {
        Objects.requireNonNull(rule, "rule");
        writeLock.lock();
        try {
            ModelSnapshot base = current;
            RedirectionPolicy policy = redirectionPolicyOf(base, policyId);
            RedirectionRule existing = redirectionRuleOf(policy, ruleId);
            checkRevision(REDIRECTION_RULE_KIND, ruleId, expectedRevision, existing.revision());
            if (rule.id() != null && !rule.id().equals(ruleId)) {
                throw new ValidationException(List.of(new Violation("/id",
                        "'" + rule.id() + "' does not match the id in the path '" + ruleId + "'")));
            }
            long rev = base.revision() + 1;
            Integer sequence = rule.sequence() != null ? rule.sequence() : existing.sequence();
            RedirectionRule stored = rule.withIdentity(ruleId, sequence, rev);
            if (stored.withIdentity(ruleId, sequence, 0).equals(existing.withIdentity(ruleId, existing.sequence(), 0))) {
                return existing;
            }
            validateRedirectionRuleChange(base, policy, stored, ruleId);
            List<RedirectionRule> rules = new ArrayList<>();
            for (RedirectionRule r : policy.rules()) {
                rules.add(r.id().equals(ruleId) ? stored : r);
            }
            commitRedirectionRule(base, policy.withRules(sortBySequence(rules, RedirectionRule::sequence))
                    .withIdentity(policy.id(), rev), principal, Operation.UPDATE, ruleId, existing, stored);
            return stored;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void deleteRedirectionRule(String policyId, String ruleId, Long expectedRevision, String principal) {
        writeLock.lock();
        try {
            ModelSnapshot base = current;
            RedirectionPolicy policy = redirectionPolicyOf(base, policyId);
            RedirectionRule existing = redirectionRuleOf(policy, ruleId);
            checkRevision(REDIRECTION_RULE_KIND, ruleId, expectedRevision, existing.revision());
            long rev = base.revision() + 1;
            List<RedirectionRule> rules = policy.rules().stream().filter(r -> !r.id().equals(ruleId)).toList();
            commitRedirectionRule(base, policy.withRules(rules).withIdentity(policy.id(), rev), principal,
                    Operation.DELETE, ruleId, existing, null);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public DefaultRule setDefaultRule(DefaultRule rule, Long expectedRevision, String principal) {
        Objects.requireNonNull(rule, "rule");
        writeLock.lock();
        try {
            ModelSnapshot base = current;
            DefaultRule existing = base.defaultRule();
            checkRevision(SETTING_KIND, DEFAULT_RULE_ID, expectedRevision, existing.revision());
            ModelValidator.validateDefaultRule(rule);
            if (rule.withRevision(0).equals(existing.withRevision(0))) {
                return existing;
            }
            long rev = base.revision() + 1;
            DefaultRule stored = rule.withRevision(rev);
            ModelSnapshot after = base.toBuilder().defaultRule(stored).revision(rev).build();
            commit(base, after, List.of(document(SETTING_KIND, DEFAULT_RULE_ID, rev, stored)), List.of(),
                    audit(rev, principal, Operation.UPDATE, SETTING_KIND, DEFAULT_RULE_ID, existing, stored));
            return stored;
        } finally {
            writeLock.unlock();
        }
    }

    // ---- internals

    /** Validates {@code stored} within the model it makes and commits it (a create when {@code existing} is null). */
    private <T extends Entity> T commitEntity(ModelSnapshot base, Kind<T> kind, T stored, T existing, String principal) {
        long rev = stored.revision();
        ModelSnapshot after = base.toBuilder().put(stored).revision(rev).build();
        validate(after, stored);
        commit(base, after, List.of(document(kind.name(), stored.id(), rev, stored)), List.of(),
                audit(rev, principal, existing == null ? Operation.CREATE : Operation.UPDATE, kind.name(), stored.id(),
                        existing, stored));
        return stored;
    }

    private static Policy policyOf(ModelSnapshot base, String policyId) {
        return base.find(Kind.POLICY, policyId).orElseThrow(() -> new NotFoundException(Kind.POLICY.name(), policyId));
    }

    private static Rule ruleOf(Policy policy, String ruleId) {
        return policy.rules().stream().filter(r -> r.id().equals(ruleId)).findFirst()
                .orElseThrow(() -> new NotFoundException(RULE_KIND, ruleId));
    }

    private void commitPolicyWithRule(ModelSnapshot base, Policy updated, long rev, String principal, Operation op,
                                      String ruleId, Rule before, Rule after) {
        ModelSnapshot next = base.toBuilder().put(updated).revision(rev).build();
        commit(base, next, List.of(document(Kind.POLICY.name(), updated.id(), rev, updated)), List.of(),
                audit(rev, principal, op, RULE_KIND, ruleId, before, after));
    }

    private static RedirectionPolicy redirectionPolicyOf(ModelSnapshot base, String policyId) {
        return base.find(Kind.REDIRECTION_POLICY, policyId)
                .orElseThrow(() -> new NotFoundException(Kind.REDIRECTION_POLICY.name(), policyId));
    }

    private static RedirectionRule redirectionRuleOf(RedirectionPolicy policy, String ruleId) {
        return policy.rules().stream().filter(r -> r.id().equals(ruleId)).findFirst()
                .orElseThrow(() -> new NotFoundException(REDIRECTION_RULE_KIND, ruleId));
    }

    /** Commits a redirection policy whose rule changed; the audit record is the rule's. */
    private void commitRedirectionRule(ModelSnapshot base, RedirectionPolicy updated, String principal, Operation op,
                                       String ruleId, RedirectionRule before, RedirectionRule after) {
        long rev = updated.revision();
        ModelSnapshot next = base.toBuilder().put(updated).revision(rev).build();
        commit(base, next, List.of(document(Kind.REDIRECTION_POLICY.name(), updated.id(), rev, updated)), List.of(),
                audit(rev, principal, op, REDIRECTION_RULE_KIND, ruleId, before, after));
    }

    /** A rule alone, with the ids and sequences around it: rule ids are unique across redirection policies. */
    private static void validateRedirectionRuleChange(ModelSnapshot base, RedirectionPolicy policy, RedirectionRule rule,
                                                      String replacedId) {
        Violations v = new Violations("");
        ServiceInsertionValidator.validateRedirectionRule(v, base, rule);
        for (RedirectionPolicy p : base.redirectionPolicies()) {
            for (RedirectionRule r : p.rules()) {
                if (r.id().equals(rule.id()) && !r.id().equals(replacedId)) {
                    v.add("/id", "rule id '" + rule.id() + "' is already used in redirection policy '" + p.id() + "'");
                }
                if (p.id().equals(policy.id()) && !r.id().equals(replacedId) && Objects.equals(r.sequence(), rule.sequence())) {
                    v.add("/sequence", "sequence " + rule.sequence() + " is already taken by rule '" + r.id() + "'");
                }
            }
        }
        v.throwIfAny();
    }

    private void validateRuleChange(ModelSnapshot base, Policy policy, Rule rule, String replacedId) {
        Violations v = new Violations("");
        ModelValidator.validateRule(v, base, rule);
        for (Policy p : base.policies()) {
            for (Rule r : p.rules()) {
                if (r.id().equals(rule.id()) && !r.id().equals(replacedId)) {
                    v.add("/id", "rule id '" + rule.id() + "' is already used in policy '" + p.id() + "'");
                }
                if (p.id().equals(policy.id()) && !r.id().equals(replacedId) && Objects.equals(r.sequence(), rule.sequence())) {
                    v.add("/sequence", "sequence " + rule.sequence() + " is already taken by rule '" + r.id() + "'");
                }
            }
        }
        v.throwIfAny();
    }

    private static void checkRevision(String kind, String id, Long expected, long actual) {
        if (expected != null && expected != actual) {
            throw new RevisionMismatchException(kind, id, expected, actual);
        }
    }

    private static void validate(ModelSnapshot after, Entity e) {
        if (e instanceof Host h) {
            ModelValidator.validateHost(h);
        } else if (e instanceof Vm vm) {
            ModelValidator.validateVm(after, vm);
        } else if (e instanceof Group g) {
            ModelValidator.validateGroup(after, g);
        } else if (e instanceof Service s) {
            ModelValidator.validateService(s);
        } else if (e instanceof Policy p) {
            ModelValidator.validatePolicy(after, p);
        } else if (e instanceof ServiceProfile p) {
            ServiceInsertionValidator.validateServiceProfile(p);
        } else if (e instanceof ServiceChain c) {
            ServiceInsertionValidator.validateServiceChain(after, c);
        } else if (e instanceof RedirectionPolicy p) {
            ServiceInsertionValidator.validateRedirectionPolicy(after, p);
        }
    }

    /** Fills in what the server assigns: vNIC ids, policy and rule sequences, rule ids and revisions. */
    private Entity normalize(ModelSnapshot base, Entity e, Entity existing, long rev) {
        if (e instanceof Vm vm) {
            return Normalizer.vm(base, vm, (Vm) existing);
        }
        if (e instanceof Policy p) {
            return Normalizer.policy(base, p, (Policy) existing, rev, idGenerator);
        }
        if (e instanceof RedirectionPolicy p) {
            return Normalizer.redirectionPolicy(base, p, (RedirectionPolicy) existing, rev, idGenerator);
        }
        return e;
    }

    private static int nextRuleSequence(List<Rule> rules) {
        int max = -SEQUENCE_STEP;
        for (Rule r : rules) {
            if (r.sequence() != null) {
                max = Math.max(max, r.sequence());
            }
        }
        return max + SEQUENCE_STEP;
    }

    /** The next sequence after the last of {@code sequences} (nulls ignored). */
    private static int nextSequence(List<Integer> sequences) {
        int max = -SEQUENCE_STEP;
        for (Integer s : sequences) {
            if (s != null) {
                max = Math.max(max, s);
            }
        }
        return max + SEQUENCE_STEP;
    }

    /** Rules in evaluation order; every rule has a sequence by then. */
    static <R> List<R> sortBySequence(List<R> rules, Function<R, Integer> sequence) {
        List<R> sorted = new ArrayList<>(rules);
        sorted.sort((a, b) -> Integer.compare(sequence.apply(a), sequence.apply(b)));
        return List.copyOf(sorted);
    }

    static List<Rule> sortRules(List<Rule> rules) {
        List<Rule> sorted = new ArrayList<>(rules);
        sorted.sort((a, b) -> Integer.compare(a.sequence(), b.sequence()));
        return List.copyOf(sorted);
    }

    private void commit(ModelSnapshot base, ModelSnapshot after, List<Document> upserts, List<DocumentKey> deletes,
                        AuditRecord audit) {
        if (store != null) {
            ModelChange change = new ModelChange(base.revision(), after.revision(), upserts, deletes, List.of(audit));
            try {
                store.commit(change);
            } catch (StoreConflictException e) {
                // someone else wrote to the store: our view is stale, take theirs before anything else
                reload();
                throw e;
            } catch (StoreException e) {
                // normally nothing was applied; but a connection lost during COMMIT leaves that unknown,
                // so take the store's word for what the model is now, when it can be read
                try {
                    reload();
                } catch (StoreException unreadable) {
                    e.addSuppressed(unreadable);
                }
                throw e;
            }
        }
        if (store != null) {
            after = after.asCommitted();
        }
        current = after;
        List<ChangedObject> changed = new ArrayList<>();
        boolean defaultRuleChanged = false;
        for (DocumentKey key : concatKeys(upserts, deletes)) {
            Kind<?> kind = Kind.byName(key.kind());
            if (kind != null) {
                changed.add(new ChangedObject(kind, key.id()));
            } else if (key.kind().equals(SETTING_KIND)) {
                defaultRuleChanged = true;
            }
        }
        notifyListeners(new ModelChangeEvent(base, after, changed, defaultRuleChanged));
    }

    private void reload() {
        ModelSnapshot before = current;
        ModelSnapshot after = load(store.load());
        current = after;
        // what changed underneath is unknown: everything that exists before or after may have
        List<ChangedObject> all = new ArrayList<>();
        for (Kind<?> kind : Kind.ALL) {
            java.util.Set<String> ids = new java.util.TreeSet<>();
            before.all(kind).forEach(e -> ids.add(e.id()));
            after.all(kind).forEach(e -> ids.add(e.id()));
            ids.forEach(id -> all.add(new ChangedObject(kind, id)));
        }
        notifyListeners(new ModelChangeEvent(before, after, all, true));
    }

    private void notifyListeners(ModelChangeEvent event) {
        for (ModelListener l : listeners) {
            try {
                l.modelChanged(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "a model listener failed on revision " + event.after().revision(), e);
            }
        }
    }

    private static List<DocumentKey> concatKeys(List<Document> upserts, List<DocumentKey> deletes) {
        List<DocumentKey> keys = new ArrayList<>(deletes);
        upserts.forEach(d -> keys.add(d.key()));
        return keys;
    }

    private Document document(String kind, String id, long rev, Object value) {
        return new Document(new DocumentKey(kind, id), rev, toJson(value));
    }

    private AuditRecord audit(long rev, String principal, Operation op, String kind, String id, Object before,
                              Object after) {
        return new AuditRecord(rev, clock.instant().truncatedTo(ChronoUnit.MILLIS), principal, op, kind, id,
                before == null ? null : toJson(before), after == null ? null : toJson(after));
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model object cannot be written as JSON", e);
        }
    }

    private ModelSnapshot load(StoredModel stored) {
        ModelSnapshot.Builder b = ModelSnapshot.EMPTY.toBuilder().revision(stored.revision());
        for (Document d : stored.documents()) {
            try {
                if (d.key().kind().equals(SETTING_KIND)) {
                    if (d.key().id().equals(DEFAULT_RULE_ID)) {
                        b.defaultRule(json.readValue(d.json(), DefaultRule.class));
                    }
                    continue;
                }
                Kind<?> kind = Kind.byName(d.key().kind());
                if (kind == null) {
                    throw new StoreException("the store holds a document of unknown kind '" + d.key().kind() + "'");
                }
                b.put(json.readValue(d.json(), kind.type()));
            } catch (JsonProcessingException e) {
                throw new StoreException("stored " + d.key().kind() + " '" + d.key().id() + "' cannot be read", e);
            }
        }
        return b.build().asCommitted();
    }
}
