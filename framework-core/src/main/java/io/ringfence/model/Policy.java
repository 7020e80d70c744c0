package io.ringfence.model;

import io.swagger.v3.oas.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A security policy: an ordered section of the consolidated firewall.
 *
 * <p>Policies are evaluated by category, then by {@code sequence} (unique within a category),
 * and their rules by rule sequence. The list of rules is kept sorted by sequence.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A security policy: category, sequence and ordered rules")
public record Policy(String id, String name, String description, Category category, Integer sequence,
                     List<Rule> rules, @Schema(accessMode = Schema.AccessMode.READ_ONLY, description = "server-assigned; the ETag") long revision) implements Entity {

    public Policy {
        rules = Lists.copy(rules);
    }

    @Override
    public Policy withIdentity(String id, long revision) {
        return new Policy(id, name, description, category, sequence, rules, revision);
    }

    public Policy withRules(List<Rule> newRules) {
        return new Policy(id, name, description, category, sequence, newRules, revision);
    }

    public Policy withSequence(Integer newSequence) {
        return new Policy(id, name, description, category, newSequence, rules, revision);
    }
}
