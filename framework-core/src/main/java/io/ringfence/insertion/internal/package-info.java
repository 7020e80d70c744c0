/**
 * The service-insertion runtime: the registry of function instances (health polling, circuit
 * breakers), the per-instance executors that enforce call deadlines, chain sessions and their hops
 * (steering, failure policy, hot-swap), counters and recent alerts; and the check of admins' service
 * profiles against the registered definitions. Plain Java; the OSGi wiring is in the {@code osgi}
 * package below.
 */
package io.ringfence.insertion.internal;
