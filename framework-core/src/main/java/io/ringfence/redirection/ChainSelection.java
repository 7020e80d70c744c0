package io.ringfence.redirection;

/**
 * The service chain a flow is steered to, and the redirection rule that chose it.
 *
 * @param chainId  the service chain
 * @param policyId the redirection policy of the rule
 * @param ruleId   the REDIRECT rule that matched first
 */
public record ChainSelection(String chainId, String policyId, String ruleId) {
}
