package io.ringfence.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * An ordered section of the redirection table, which picks a service chain (or none) for each flow
 * the firewall allowed.
 *
 * <p>Evaluation: redirection policies by {@code sequence} (unique among them), their rules by rule
 * sequence (unique within the policy); the first rule that matches decides, REDIRECT to its chain
 * or DO_NOT_REDIRECT; a flow no rule matches is not redirected. A disabled policy is kept but
 * skipped, rules and all. The list of rules is kept sorted by sequence.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A redirection policy: sequence and ordered redirection rules")
public record RedirectionPolicy(String id, String name, String description, Integer sequence, boolean disabled,
                                List<RedirectionRule> rules,
                                @Schema(accessMode = Schema.AccessMode.READ_ONLY, description = "server-assigned; the ETag") long revision)
        implements Entity {

    public RedirectionPolicy {
        rules = Lists.copy(rules);
    }

    @Override
    public RedirectionPolicy withIdentity(String id, long revision) {
        return new RedirectionPolicy(id, name, description, sequence, disabled, rules, revision);
    }

    public RedirectionPolicy withRules(List<RedirectionRule> newRules) {
        return new RedirectionPolicy(id, name, description, sequence, disabled, newRules, revision);
    }
}
