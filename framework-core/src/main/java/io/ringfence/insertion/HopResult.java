package io.ringfence.insertion;

import io.ringfence.spi.inspection.Verdict;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What one hop made of one packet, for traceflow.
 *
 * @param profileId    the hop's profile
 * @param definitionId its service definition
 * @param version      the version of the instance that was called or holds the session; null when none was
 * @param outcome      what happened
 * @param verdict      the hop's verdict: the function's own when {@link HopOutcome#INSPECTED}, PASS when bypassed,
 *                     else the failure policy's (PASS for ALLOW, DROP for BLOCK)
 */
@Schema(description = "What one function of a chain made of a packet: its profile, service definition, the version "
        + "of the instance called (null when none was), the outcome and the hop's verdict")
public record HopResult(String profileId, String definitionId, String version, HopOutcome outcome, Verdict verdict) {
}
