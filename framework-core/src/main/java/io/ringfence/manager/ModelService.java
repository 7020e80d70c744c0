package io.ringfence.manager;

import io.ringfence.model.DefaultRule;
import io.ringfence.model.Entity;
import io.ringfence.model.Kind;
import io.ringfence.model.RedirectionRule;
import io.ringfence.model.Rule;
import io.ringfence.store.AuditPage;
import io.ringfence.store.AuditQuery;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Read access to the model. Every call sees one committed revision. */
@ProviderType
public interface ModelService {

    /** The current committed model, immutable. */
    ModelSnapshot snapshot();

    /** One object by kind and id. */
    default <T extends Entity> Optional<T> find(Kind<T> kind, String id) {
        return snapshot().find(kind, id);
    }

    /** A filtered, paged list of objects of one kind, ordered by id. */
    <T extends Entity> Page<T> list(Kind<T> kind, ListQuery query);

    /** A rule within a policy. */
    default Optional<Rule> findRule(String policyId, String ruleId) {
        return snapshot().findRule(policyId, ruleId);
    }

    /**
     * A rule within a redirection policy.
     *
     * @since 0.2.0
     */
    default Optional<RedirectionRule> findRedirectionRule(String policyId, String ruleId) {
        return snapshot().findRedirectionRule(policyId, ruleId);
    }

    /** The group's effective members now. */
    Members members(String groupId);

    /** The default rule. */
    default DefaultRule defaultRule() {
        return snapshot().defaultRule();
    }

    /** A page of the change log, newest first. */
    AuditPage audit(AuditQuery query);
}
