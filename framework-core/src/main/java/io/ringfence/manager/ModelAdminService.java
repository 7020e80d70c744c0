package io.ringfence.manager;

import io.ringfence.model.DefaultRule;
import io.ringfence.model.Entity;
import io.ringfence.model.Kind;
import io.ringfence.model.RedirectionRule;
import io.ringfence.model.Rule;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Changes to the model. Each call is one transaction: validated against the whole model,
 * durable and audited before it returns, or refused with nothing changed.
 *
 * <p>{@code expectedRevision} implements optimistic concurrency: when not null, the change is
 * refused with {@link RevisionMismatchException} unless the object's current revision equals it.
 * {@code principal} is who makes the change, for the audit log.
 *
 * @throws ValidationException      the object is invalid or refers to something that does not exist
 * @throws NotFoundException        the object to replace or delete does not exist
 * @throws AlreadyExistsException   create with an id already in use
 * @throws InUseException           delete of an object that others still refer to
 * @throws RevisionMismatchException stale {@code expectedRevision}
 * @throws io.ringfence.store.StoreException the change could not be made durable
 */
@ProviderType
public interface ModelAdminService {

    /** Creates an object; its id is assigned when null. Returns it as stored. */
    <T extends Entity> T create(Kind<T> kind, T object, String principal);

    /** Replaces an object; the id in {@code object}, when given, must be {@code id}. */
    <T extends Entity> T replace(Kind<T> kind, String id, T object, Long expectedRevision, String principal);

    /** Deletes an object that nothing refers to. */
    void delete(Kind<?> kind, String id, Long expectedRevision, String principal);

    /** Adds a rule to a policy; id and sequence are assigned when null (after the last rule). */
    Rule createRule(String policyId, Rule rule, String principal);

    /** Replaces a rule of a policy; {@code expectedRevision} is the rule's revision. */
    Rule replaceRule(String policyId, String ruleId, Rule rule, Long expectedRevision, String principal);

    /** Removes a rule from a policy. */
    void deleteRule(String policyId, String ruleId, Long expectedRevision, String principal);

    /**
     * Adds a rule to a redirection policy; id and sequence are assigned when null (after the last rule).
     *
     * @since 0.2.0
     */
    RedirectionRule createRedirectionRule(String policyId, RedirectionRule rule, String principal);

    /**
     * Replaces a rule of a redirection policy; {@code expectedRevision} is the rule's revision.
     *
     * @since 0.2.0
     */
    RedirectionRule replaceRedirectionRule(String policyId, String ruleId, RedirectionRule rule, Long expectedRevision,
                                           String principal);

    /**
     * Removes a rule from a redirection policy.
     *
     * @since 0.2.0
     */
    void deleteRedirectionRule(String policyId, String ruleId, Long expectedRevision, String principal);

    /** Sets the default rule (action ALLOW or DROP). */
    DefaultRule setDefaultRule(DefaultRule rule, Long expectedRevision, String principal);

    /**
     * The model as it would be after {@code change} (one or more calls on the service it is given),
     * validated exactly as a real change, but neither committed nor audited nor seen by anyone.
     *
     * @throws ModelException as the change itself would
     */
    ModelSnapshot whatIf(java.util.function.Consumer<ModelAdminService> change);
}
