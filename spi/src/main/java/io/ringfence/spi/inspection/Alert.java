package io.ringfence.spi.inspection;

/**
 * A finding about a flow.
 *
 * @param signature what matched, in the function's own terms (a signature id, an application name)
 * @param message   one line for admins
 * @param severity  how serious
 * @param blocked   whether the function blocked the flow for it (DROP or REJECT) or only reported it
 */
public record Alert(String signature, String message, Severity severity, boolean blocked) {

    /** How serious a finding is. */
    public enum Severity { INFO, LOW, MEDIUM, HIGH, CRITICAL }

    public Alert {
        if (signature == null || message == null || severity == null) {
            throw new IllegalArgumentException("an alert has a signature, a message and a severity");
        }
    }
}
