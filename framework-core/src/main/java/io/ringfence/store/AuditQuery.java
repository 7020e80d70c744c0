package io.ringfence.store;

/**
 * Which audit records to read, newest first.
 *
 * @param offset    records to skip
 * @param limit     records to return at most
 * @param kind      only this kind, or null
 * @param objectId  only this object id, or null
 * @param principal only changes by this principal, or null
 */
public record AuditQuery(int offset, int limit, String kind, String objectId, String principal) {
    public AuditQuery {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative");
        }
    }
}
