package io.ringfence.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A rule of a redirection policy: matches flows as a firewall rule does, and steers them to a
 * service chain (REDIRECT) or leaves them alone (DO_NOT_REDIRECT); first match wins.
 *
 * @param id                  unique across all redirection policies (server-assigned when absent)
 * @param name                display name, optional
 * @param sequence            order within the policy (unique there; assigned after the last rule when absent)
 * @param sources             group ids; empty means ANY
 * @param sourcesNegated      match sources NOT in {@code sources}
 * @param destinations        group ids; empty means ANY
 * @param destinationsNegated match destinations NOT in {@code destinations}
 * @param services            service ids; empty means any protocol and port
 * @param appliedTo           group ids whose vNICs steer by the rule; empty means wherever relevant
 * @param direction           IN, OUT or IN_OUT (default IN_OUT)
 * @param action              REDIRECT or DO_NOT_REDIRECT
 * @param chain               the service chain of a REDIRECT rule; absent for DO_NOT_REDIRECT
 * @param disabled            kept but not evaluated
 * @param revision            server-assigned revision
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A redirection rule: matches like a firewall rule; REDIRECT to a chain or DO_NOT_REDIRECT")
public record RedirectionRule(String id, String name, Integer sequence, List<String> sources, boolean sourcesNegated,
                              List<String> destinations, boolean destinationsNegated, List<String> services,
                              List<String> appliedTo, Direction direction, RedirectionAction action,
                              @Schema(description = "service chain id; required for REDIRECT, absent for DO_NOT_REDIRECT")
                              String chain, boolean disabled,
                              @Schema(accessMode = Schema.AccessMode.READ_ONLY, description = "server-assigned; the ETag") long revision) {

    public RedirectionRule {
        sources = Lists.copy(sources);
        destinations = Lists.copy(destinations);
        services = Lists.copy(services);
        appliedTo = Lists.copy(appliedTo);
        direction = direction == null ? Direction.IN_OUT : direction;
    }

    public RedirectionRule withIdentity(String newId, Integer newSequence, long newRevision) {
        return new RedirectionRule(newId, name, newSequence, sources, sourcesNegated, destinations, destinationsNegated,
                services, appliedTo, direction, action, chain, disabled, newRevision);
    }
}
