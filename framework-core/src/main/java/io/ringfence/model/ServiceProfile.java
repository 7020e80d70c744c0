package io.ringfence.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * A configured instance of a partner's service definition (e.g. an IDS with the "strict"
 * signature set): what a service chain lists, step by step.
 *
 * <p>The definition is named by id, {@code vendor/name}, as partner bundles register it; a profile
 * outlives the versions of the partner's bundle. {@code values} are the definition's parameters
 * by name; which names, types and ranges are allowed is the definition's profile schema, checked
 * where the partner's registration is known (the model itself only checks that they are JSON
 * values under parameter-like names).
 *
 * @param id          unique id (server-assigned when absent on create)
 * @param name        display name
 * @param description free text, optional
 * @param definition  the partner definition, {@code vendor/name}: lower-case letters, digits and dashes
 * @param values      parameter values by name: JSON strings, numbers, booleans, arrays and objects
 * @param revision    server-assigned revision
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A configured instance of a partner's service definition")
public record ServiceProfile(String id, String name, String description,
                             @Schema(description = "the partner's service definition, vendor/name", example = "acme/ids")
                             String definition,
                             @Schema(description = "parameter values by name, as the definition's profile schema allows")
                             Map<String, Object> values,
                             @Schema(accessMode = Schema.AccessMode.READ_ONLY, description = "server-assigned; the ETag") long revision)
        implements Entity {

    public ServiceProfile {
        values = JsonValues.copy(values);
    }

    @Override
    public ServiceProfile withIdentity(String id, long revision) {
        return new ServiceProfile(id, name, description, definition, values, revision);
    }
}
