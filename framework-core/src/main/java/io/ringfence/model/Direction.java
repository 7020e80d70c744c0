package io.ringfence.model;

/** Which traffic of a vNIC a rule is enforced on: entering it, leaving it, or both. */
public enum Direction {
    IN,
    OUT,
    IN_OUT
}
