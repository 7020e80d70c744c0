package io.ringfence.rest.internal.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.ringfence.model.DefaultRule;
import io.ringfence.model.Kind;
import io.ringfence.model.Rule;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A change to preview: one create, replace or delete, described as the corresponding POST, PUT or
 * DELETE would describe it.
 *
 * @param operation CREATE, REPLACE or DELETE
 * @param kind      what kind of object the change is to
 * @param id        the object to replace or delete (not for CREATE: there the id, if any, is in the object;
 *                  not for the default rule)
 * @param policyId  the policy of the rule (rules only)
 * @param object    the object as it would be sent with POST or PUT (CREATE and REPLACE only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A change to preview, described as the POST, PUT or DELETE that would make it")
public record PolicyPreviewRequest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Operation operation,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) ObjectKind kind,
        @Schema(description = "the object to replace or delete; for CREATE give the id in the object; "
                + "not for the default rule") String id,
        @Schema(description = "the policy of the rule; rules only") String policyId,
        @Schema(implementation = Object.class, description = "the object as for POST (CREATE) or PUT (REPLACE) of its kind; "
                + "not for DELETE")
        JsonNode object) {

    /** What the change does. */
    public enum Operation {
        /** as POST */
        CREATE,
        /** as PUT */
        REPLACE,
        /** as DELETE */
        DELETE
    }

    /** The kinds of objects a change can be to, by their names in the API. */
    public enum ObjectKind {
        HOST("host", Kind.HOST, Kind.HOST.type()),
        VM("vm", Kind.VM, Kind.VM.type()),
        GROUP("group", Kind.GROUP, Kind.GROUP.type()),
        SERVICE("service", Kind.SERVICE, Kind.SERVICE.type()),
        POLICY("policy", Kind.POLICY, Kind.POLICY.type()),
        RULE("rule", null, Rule.class),
        DEFAULT_RULE("default-rule", null, DefaultRule.class);

        private final String jsonName;
        private final Kind<?> entityKind;
        private final Class<?> type;

        ObjectKind(String jsonName, Kind<?> entityKind, Class<?> type) {
            this.jsonName = jsonName;
            this.entityKind = entityKind;
            this.type = type;
        }

        /** The name in the API: {@code host}, {@code vm}, ... {@code default-rule}. */
        @JsonValue
        public String jsonName() {
            return jsonName;
        }

        /** The model's kind of a top-level object; null for rules and the default rule. */
        Kind<?> entityKind() {
            return entityKind;
        }

        /** The Java type of the object. */
        Class<?> type() {
            return type;
        }

        @Override
        public String toString() {
            return jsonName;
        }
    }
}
