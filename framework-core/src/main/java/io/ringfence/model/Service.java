package io.ringfence.model;

import io.swagger.v3.oas.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A named set of protocols and ports (e.g. "HTTPS": TCP 443) that rules match on; a packet
 * matches the service when it matches any entry.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Protocols and ports that rules match")
public record Service(String id, String name, String description, List<ServiceEntry> entries, @Schema(accessMode = Schema.AccessMode.READ_ONLY, description = "server-assigned; the ETag") long revision)
        implements Entity {

    public Service {
        entries = Lists.copy(entries);
    }

    @Override
    public Service withIdentity(String id, long revision) {
        return new Service(id, name, description, entries, revision);
    }
}
