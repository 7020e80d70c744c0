package io.ringfence.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An ordered list of service profiles a redirected flow passes through.
 *
 * <p>Packets of the flow's initiator pass the {@code profiles} in order (the forward path);
 * replies pass {@code reverseProfiles} in order when given, otherwise the forward path reversed,
 * so that by default the function nearest the initiator sees the reply last, as on a wire.
 * When a function cannot give a verdict (missing, throwing, or later than {@code deadlineMicros}
 * for one packet), {@code failurePolicy} decides.
 *
 * @param id              unique id (server-assigned when absent on create)
 * @param name            display name
 * @param description     free text, optional
 * @param profiles        service profile ids, the forward path; at least one, each at most once
 * @param reverseProfiles service profile ids for replies, in order; empty or absent: the forward path reversed;
 *                        only profiles of the forward path, each at most once
 * @param failurePolicy   ALLOW (fail-open) or BLOCK (fail-closed)
 * @param deadlineMicros  how long one function may take over one packet, in microseconds
 *                        ({@value #MIN_DEADLINE_MICROS}-{@value #MAX_DEADLINE_MICROS}, default {@value #DEFAULT_DEADLINE_MICROS})
 * @param revision        server-assigned revision
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "An ordered chain of service profiles, with its reply path and failure policy")
public record ServiceChain(String id, String name, String description, List<String> profiles,
                           List<String> reverseProfiles, FailurePolicy failurePolicy,
                           @Schema(description = "per function and packet, 100-1000000 µs; default 1000")
                           Long deadlineMicros,
                           @Schema(accessMode = Schema.AccessMode.READ_ONLY, description = "server-assigned; the ETag") long revision)
        implements Entity {

    /** One millisecond: generous for in-process inspection of one packet, short enough not to stall a flow. */
    public static final long DEFAULT_DEADLINE_MICROS = 1_000;
    public static final long MIN_DEADLINE_MICROS = 100;
    public static final long MAX_DEADLINE_MICROS = 1_000_000;

    public ServiceChain {
        profiles = Lists.copy(profiles);
        reverseProfiles = Lists.copy(reverseProfiles);
        deadlineMicros = deadlineMicros == null ? DEFAULT_DEADLINE_MICROS : deadlineMicros;
    }

    @Override
    public ServiceChain withIdentity(String id, long revision) {
        return new ServiceChain(id, name, description, profiles, reverseProfiles, failurePolicy, deadlineMicros,
                revision);
    }

    /** The profiles replies pass through, in order: {@code reverseProfiles}, or the forward path reversed. */
    @JsonIgnore
    public List<String> replyPath() {
        if (!reverseProfiles.isEmpty()) {
            return reverseProfiles;
        }
        List<String> reversed = new ArrayList<>(profiles);
        Collections.reverse(reversed);
        return Collections.unmodifiableList(reversed);
    }
}
