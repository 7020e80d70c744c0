package io.ringfence.manager.internal.osgi;

import io.ringfence.manager.ListQuery;
import io.ringfence.manager.Members;
import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelListener;
import io.ringfence.manager.ModelService;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.Page;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.DefaultRule;
import io.ringfence.model.Entity;
import io.ringfence.model.Kind;
import io.ringfence.model.RedirectionRule;
import io.ringfence.model.Rule;
import io.ringfence.store.AuditPage;
import io.ringfence.store.AuditQuery;
import io.ringfence.store.ModelStore;
import java.time.Clock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Publishes the model manager as OSGi services once a store is available. The store reference
 * is static: a different store means a different model, so the component restarts with it.
 */
@Component(service = {ModelService.class, ModelAdminService.class})
public final class OSGiModelManager implements ModelService, ModelAdminService {

    private final ModelManager manager;

    @Activate
    public OSGiModelManager(@Reference ModelStore store) {
        this.manager = new ModelManager(store, Clock.systemUTC());
    }

    @Override
    public ModelSnapshot snapshot() {
        return manager.snapshot();
    }

    @Override
    public <T extends Entity> Page<T> list(Kind<T> kind, ListQuery query) {
        return manager.list(kind, query);
    }

    @Override
    public Members members(String groupId) {
        return manager.members(groupId);
    }

    @Override
    public AuditPage audit(AuditQuery query) {
        return manager.audit(query);
    }

    @Override
    public <T extends Entity> T create(Kind<T> kind, T object, String principal) {
        return manager.create(kind, object, principal);
    }

    @Override
    public <T extends Entity> T replace(Kind<T> kind, String id, T object, Long expectedRevision, String principal) {
        return manager.replace(kind, id, object, expectedRevision, principal);
    }

    @Override
    public void delete(Kind<?> kind, String id, Long expectedRevision, String principal) {
        manager.delete(kind, id, expectedRevision, principal);
    }

    @Override
    public Rule createRule(String policyId, Rule rule, String principal) {
        return manager.createRule(policyId, rule, principal);
    }

    @Override
    public Rule replaceRule(String policyId, String ruleId, Rule rule, Long expectedRevision, String principal) {
        return manager.replaceRule(policyId, ruleId, rule, expectedRevision, principal);
    }

    @Override
    public void deleteRule(String policyId, String ruleId, Long expectedRevision, String principal) {
        manager.deleteRule(policyId, ruleId, expectedRevision, principal);
    }

    @Override
    public RedirectionRule createRedirectionRule(String policyId, RedirectionRule rule, String principal) {
        return manager.createRedirectionRule(policyId, rule, principal);
    }

    @Override
    public RedirectionRule replaceRedirectionRule(String policyId, String ruleId, RedirectionRule rule,
                                                  Long expectedRevision, String principal) {
        return manager.replaceRedirectionRule(policyId, ruleId, rule, expectedRevision, principal);
    }

    @Override
    public void deleteRedirectionRule(String policyId, String ruleId, Long expectedRevision, String principal) {
        manager.deleteRedirectionRule(policyId, ruleId, expectedRevision, principal);
    }

    @Override
    public ModelSnapshot whatIf(java.util.function.Consumer<ModelAdminService> change) {
        return manager.whatIf(change);
    }

    /** Model listeners are a whiteboard: every ModelListener service is told of every change. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(ModelListener listener) {
        manager.addListener(listener);
    }

    void removeListener(ModelListener listener) {
        manager.removeListener(listener);
    }

    @Override
    public DefaultRule setDefaultRule(DefaultRule rule, Long expectedRevision, String principal) {
        return manager.setDefaultRule(rule, expectedRevision, principal);
    }
}
