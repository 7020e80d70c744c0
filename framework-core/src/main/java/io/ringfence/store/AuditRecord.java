package io.ringfence.store;

import java.time.Instant;

/**
 * One entry of the change log.
 *
 * @param revision  the global revision of the change
 * @param time      when it was committed (stores keep at least microseconds)
 * @param principal who made it
 * @param operation CREATE, UPDATE or DELETE
 * @param kind      the kind of object changed ({@code rule} for a rule within a policy)
 * @param objectId  the id of the object changed
 * @param before    JSON of the object before the change, null on CREATE
 * @param after     JSON of the object after the change, null on DELETE
 */
public record AuditRecord(long revision, Instant time, String principal, Operation operation, String kind,
                          String objectId, String before, String after) {

    /** What a change did to an object. */
    public enum Operation {
        CREATE,
        UPDATE,
        DELETE
    }
}
