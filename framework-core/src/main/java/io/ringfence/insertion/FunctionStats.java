package io.ringfence.insertion;

import io.ringfence.spi.inspection.Verdict;
import java.util.Map;

/**
 * The counters of one registered instance of a function.
 *
 * @param definitionId    its service definition
 * @param version         its version
 * @param serviceId       its OSGi service id
 * @param packets         packets it was asked to inspect
 * @param verdicts        the verdicts it gave, by kind
 * @param failures        its calls (open, resume, inspect, export) that threw, missed their deadline or
 *                        returned null: {@link HopOutcome#EXCEPTION}, {@link HopOutcome#DEADLINE},
 *                        {@link HopOutcome#NULL_VERDICT}
 * @param sessionsOpen    sessions it holds now
 * @param sessionsOpened  sessions opened fresh on it
 * @param sessionsResumed sessions it resumed from another instance's exported state
 * @param statesExported  sessions that exported a state when it left
 * @param breakerTrips    times its circuit breaker tripped
 * @param latency         time of its inspect calls, as the caller waited for them (hand-off included)
 */
public record FunctionStats(String definitionId, String version, long serviceId, long packets,
                            Map<Verdict, Long> verdicts, Map<HopOutcome, Long> failures, long sessionsOpen,
                            long sessionsOpened, long sessionsResumed, long statesExported, long breakerTrips,
                            LatencyStats latency) {

    public FunctionStats {
        verdicts = Map.copyOf(verdicts);
        failures = Map.copyOf(failures);
    }
}
