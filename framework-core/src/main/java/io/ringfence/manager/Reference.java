package io.ringfence.manager;

/**
 * An object that refers to another.
 *
 * @param kind the referring object's kind ({@code rule} for a rule, with its policy in {@code parentId};
 *             {@code redirection-rule} for a rule of a redirection policy, likewise)
 * @param id   its id
 * @param name its name, may be null
 * @param parentId the policy of a rule (or redirection rule), else null
 */
public record Reference(String kind, String id, String name, String parentId) {
}
