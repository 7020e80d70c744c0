package io.ringfence.insertion;

import io.ringfence.spi.inspection.ProfileParameter;
import io.ringfence.spi.inspection.ProfileSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A function's {@link ProfileSchema} as a JSON Schema (draft 2020-12) document, for the REST API
 * to publish: what {@link ProfileValidation} accepts, in the form clients and tools understand.
 */
public final class JsonSchemas {

    /** The dialect of the documents. */
    public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    private JsonSchemas() {
    }

    /**
     * The schema of a profile's parameters: an object with one property per parameter, the required
     * ones listed, no other property allowed. Maps and lists of strings, numbers and booleans, in
     * the schema's order, ready for a JSON encoder.
     */
    public static Map<String, Object> of(ProfileSchema schema) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (ProfileParameter p : schema.parameters()) {
            properties.put(p.name(), property(p));
            if (p.required()) {
                required.add(p.name());
            }
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("$schema", DIALECT);
        document.put("type", "object");
        document.put("properties", properties);
        if (!required.isEmpty()) {
            document.put("required", required);
        }
        document.put("additionalProperties", false);
        return document;
    }

    private static Map<String, Object> property(ProfileParameter p) {
        Map<String, Object> property = new LinkedHashMap<>();
        switch (p.type()) {
            case STRING -> {
                property.put("type", "string");
                if (!p.allowedValues().isEmpty()) {
                    property.put("enum", p.allowedValues());
                }
                if (p.maxLength() > 0) {
                    property.put("maxLength", p.maxLength());
                }
            }
            case INTEGER -> {
                property.put("type", "integer");
                if (p.minimum() != null) {
                    property.put("minimum", p.minimum());
                }
                if (p.maximum() != null) {
                    property.put("maximum", p.maximum());
                }
            }
            case BOOLEAN -> property.put("type", "boolean");
            case STRING_LIST -> {
                property.put("type", "array");
                Map<String, Object> items = new LinkedHashMap<>();
                items.put("type", "string");
                if (!p.allowedValues().isEmpty()) {
                    items.put("enum", p.allowedValues());
                }
                property.put("items", items);
                if (p.maxLength() > 0) {
                    property.put("maxItems", p.maxLength());
                }
            }
        }
        if (!p.description().isEmpty()) {
            property.put("description", p.description());
        }
        if (p.defaultValue() != null) {
            property.put("default", p.defaultValue());
        }
        return property;
    }
}
