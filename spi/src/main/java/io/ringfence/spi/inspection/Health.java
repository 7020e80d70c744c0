package io.ringfence.spi.inspection;

/** The health a function reports of itself. */
public enum Health {
    /** Serving. */
    UP,
    /** Serving, with reduced capability (e.g. signatures not refreshed); still gets new flows. */
    DEGRADED,
    /** Not able to serve: gets no new flows (flows in progress stay while it is registered). */
    DOWN
}
