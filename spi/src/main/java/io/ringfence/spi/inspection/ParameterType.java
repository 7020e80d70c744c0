package io.ringfence.spi.inspection;

/** The type of a profile parameter, and the Java type of its value in a {@link Profile}. */
public enum ParameterType {
    /** A {@link String}. */
    STRING,
    /** A {@link Long}. */
    INTEGER,
    /** A {@link Boolean}. */
    BOOLEAN,
    /** A {@code List<String>}. */
    STRING_LIST
}
