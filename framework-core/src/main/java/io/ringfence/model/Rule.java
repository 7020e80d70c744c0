package io.ringfence.model;

import io.swagger.v3.oas.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A firewall rule inside a security policy; first match wins.
 *
 * @param id                  unique across all policies (server-assigned when absent)
 * @param name                display name, optional
 * @param sequence            order within the policy (unique there; assigned after the last rule when absent)
 * @param sources             group ids; empty means ANY
 * @param sourcesNegated      match sources NOT in {@code sources}
 * @param destinations        group ids; empty means ANY
 * @param destinationsNegated match destinations NOT in {@code destinations}
 * @param services            service ids; empty means any protocol and port
 * @param appliedTo           group ids whose vNICs enforce the rule; empty means wherever relevant
 * @param direction           IN, OUT or IN_OUT (default IN_OUT)
 * @param action              ALLOW, DROP or REJECT
 * @param logged              log every flow decided by this rule (staged: every flow it would have decided)
 * @param disabled            kept but not enforced (and not evaluated: a disabled rule is compiled nowhere)
 * @param staged              audit mode: evaluated beside the enforced rules, in its place in the order, but it
 *                            decides nothing; the flows it would have decided are counted apart (and logged if
 *                            {@code logged}), so that its effect can be seen before it is enforced
 * @param tag                 free-form label carried into logs, optional
 * @param revision            server-assigned revision
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A firewall rule; first match wins")
public record Rule(String id, String name, Integer sequence, List<String> sources, boolean sourcesNegated,
                   List<String> destinations, boolean destinationsNegated, List<String> services,
                   List<String> appliedTo, Direction direction, Action action, boolean logged, boolean disabled,
                   @Schema(description = "audit mode: evaluated in its place and its would-be hits counted (and logged "
                           + "when logged), but it decides nothing; default false") boolean staged,
                   String tag, @Schema(accessMode = Schema.AccessMode.READ_ONLY, description = "server-assigned; the ETag") long revision) {

    public Rule {
        sources = Lists.copy(sources);
        destinations = Lists.copy(destinations);
        services = Lists.copy(services);
        appliedTo = Lists.copy(appliedTo);
        direction = direction == null ? Direction.IN_OUT : direction;
    }

    public Rule withIdentity(String newId, Integer newSequence, long newRevision) {
        return new Rule(newId, name, newSequence, sources, sourcesNegated, destinations, destinationsNegated,
                services, appliedTo, direction, action, logged, disabled, staged, tag, newRevision);
    }
}
