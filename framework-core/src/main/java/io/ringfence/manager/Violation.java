package io.ringfence.manager;

/**
 * One reason an object is invalid.
 *
 * @param field   the offending field as a JSON pointer into the submitted object (e.g. {@code /entries/0/destinationPorts/1})
 * @param message what is wrong with it
 */
public record Violation(String field, String message) {
}
