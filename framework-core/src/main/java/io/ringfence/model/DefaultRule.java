package io.ringfence.model;

/**
 * The rule that ends every vNIC's table: what happens to a flow no rule matched.
 * DROP is the recommended (zero-trust) setting and the initial one.
 *
 * @param action   ALLOW or DROP
 * @param logged   log the flows it decides (flows it drops are always logged)
 * @param revision server-assigned revision
 */
public record DefaultRule(Action action, boolean logged, long revision) {

    /** The setting of a new installation. */
    public static final DefaultRule INITIAL = new DefaultRule(Action.DROP, false, 0);

    public DefaultRule withRevision(long newRevision) {
        return new DefaultRule(action, logged, newRevision);
    }
}
