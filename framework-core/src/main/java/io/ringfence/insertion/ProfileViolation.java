package io.ringfence.insertion;

/**
 * One reason a profile is invalid.
 *
 * @param parameter the offending parameter
 * @param kind      what is wrong with it
 * @param message   what is wrong with it, for admins
 */
public record ProfileViolation(String parameter, Kind kind, String message) {

    /** What can be wrong with a parameter of a profile. */
    public enum Kind {
        /** The schema has no such parameter. */
        UNKNOWN_PARAMETER,
        /** A required parameter is not given. */
        MISSING_REQUIRED,
        /** The value is not of the parameter's type. */
        WRONG_TYPE,
        /** An integer is outside the parameter's minimum and maximum. */
        OUT_OF_RANGE,
        /** A string, or an element of a list, is not one of the parameter's allowed values. */
        NOT_ALLOWED,
        /** A string has more characters, or a list more elements, than the parameter accepts. */
        TOO_LONG
    }
}
