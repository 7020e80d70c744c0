package io.ringfence.model;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The rule that ends every vNIC's table: what happens to a flow no rule matched.
 * DROP is the recommended (zero-trust) setting and the initial one.
 *
 * @param action   ALLOW or DROP
 * @param logged   log the flows it decides (flows it drops are always logged)
 * @param revision server-assigned revision
 */
@Schema(description = "What happens to a flow that no rule matched: ALLOW or DROP")
public record DefaultRule(Action action, boolean logged, @Schema(accessMode = Schema.AccessMode.READ_ONLY, description = "server-assigned; the ETag") long revision) {

    /** The setting of a new installation. */
    public static final DefaultRule INITIAL = new DefaultRule(Action.DROP, false, 0);

    public DefaultRule withRevision(long newRevision) {
        return new DefaultRule(action, logged, newRevision);
    }
}
