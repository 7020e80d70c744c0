package io.ringfence.rest.internal;

import io.ringfence.enforcement.appliance.ApplianceException;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

/**
 * Refusals of the appliance registry as problem documents: each reason its own type, so that an
 * appliance can act on it (register again on {@code unknown-appliance} and {@code lease-expired}; stop
 * on {@code session-ended}: another process registered the appliance since).
 */
final class ApplianceExceptions implements ExceptionMapper<ApplianceException> {

    @Override
    public Response toResponse(ApplianceException e) {
        Problem p = switch (e.reason()) {
            case UNKNOWN_APPLIANCE -> Problem.of("unknown-appliance", "No such appliance", 404, e.getMessage());
            case UNKNOWN_HOST -> Problem.of("unknown-host", "The registration names unknown hosts", 422, e.getMessage());
            case NOT_OWNER -> Problem.of("not-owner", "The appliance belongs to another user", 403, e.getMessage());
            case SESSION_ENDED -> Problem.of("session-ended", "The appliance registered again since", 409,
                    e.getMessage());
            case LEASE_EXPIRED -> Problem.of("lease-expired", "The appliance's lease ran out", 409, e.getMessage());
            case UNKNOWN_SEQUENCE -> Problem.of("unknown-sequence", "No such update", 409, e.getMessage());
            case INVALID_ACKNOWLEDGEMENT -> Problem.of("invalid-acknowledgement",
                    "The acknowledgement does not fit its update", 422, e.getMessage());
        };
        return Problems.response(p);
    }
}
