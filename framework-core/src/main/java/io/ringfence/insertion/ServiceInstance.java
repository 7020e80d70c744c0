package io.ringfence.insertion;

import io.ringfence.spi.inspection.Health;

/**
 * One registered instance of a service definition, as it stands.
 *
 * @param serviceId    its OSGi service id
 * @param version      the function's version
 * @param health       its health as last polled (DOWN when the poll threw, returned null or hung)
 * @param circuitOpen  its circuit breaker tripped after consecutive failures and is cooling down
 * @param acceptsFlows it gets new flows if it is the newest such instance: not DOWN, circuit closed
 * @param exportsState its sessions can export their state
 * @param importsState it can resume sessions from exported state
 * @param sessionsOpen sessions it holds now
 */
public record ServiceInstance(long serviceId, String version, Health health, boolean circuitOpen,
                              boolean acceptsFlows, boolean exportsState, boolean importsState, long sessionsOpen) {
}
