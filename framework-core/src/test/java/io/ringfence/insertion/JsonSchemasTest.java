package io.ringfence.insertion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.spi.inspection.ProfileSchema;
import org.assertj.core.api.InstanceOfAssertFactories;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {

    @Test
    void aProfileSchemaBecomesAClosedObjectSchema() throws Exception {
        Map<String, Object> schema = JsonSchemas.of(ProfileValidationTest.IDS);

        String json = new ObjectMapper().writeValueAsString(schema);
        assertThat(json).isEqualTo("""
                {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{\
                "mode":{"type":"string","enum":["detect","prevent"],"description":"detect or prevent","default":"detect"},\
                "depth":{"type":"integer","minimum":0,"maximum":1048576,"description":"bytes inspected per flow","default":4096},\
                "logAll":{"type":"boolean","description":"log every flow","default":false},\
                "categories":{"type":"array","items":{"type":"string","enum":["malware","scan","policy"]},"maxItems":2,\
                "description":"signature categories","default":[]},\
                "tenant":{"type":"string","maxLength":8,"description":"whose rules"},\
                "comment":{"type":"string","description":"free text"}},\
                "required":["tenant"],"additionalProperties":false}""");
    }

    @Test
    void theDocumentUsesOnlyKeywordsOfTheDialectWithValuesOfTheirTypes() {
        Map<String, Object> schema = JsonSchemas.of(ProfileValidationTest.IDS);

        assertThat(schema).containsOnlyKeys("$schema", "type", "properties", "required", "additionalProperties");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) schema.get("properties");
        assertThat(properties.keySet()).containsExactly("mode", "depth", "logAll", "categories", "tenant", "comment");
        assertThat(properties.values()).allSatisfy(p -> {
            assertThat(p.keySet()).isSubsetOf("type", "description", "default", "enum", "minimum", "maximum",
                    "maxLength", "maxItems", "items");
            assertThat(p.get("type")).isIn("string", "integer", "boolean", "array");
            p.forEach((k, v) -> {
                switch (k) {
                    case "enum" -> assertThat(v).asInstanceOf(InstanceOfAssertFactories.LIST).isNotEmpty();
                    case "minimum", "maximum" -> assertThat(v).isInstanceOf(Long.class);
                    case "maxLength", "maxItems" -> assertThat((Integer) v).isNotNegative();
                    default -> { }
                }
            });
        });
        // every required property exists
        assertThat(properties).containsKeys(((List<?>) schema.get("required")).toArray(String[]::new));
    }

    @Test
    void anEmptySchemaAcceptsOnlyAnEmptyObject() {
        assertThat(JsonSchemas.of(ProfileSchema.EMPTY)).containsExactly(
                Map.entry("$schema", JsonSchemas.DIALECT), Map.entry("type", "object"), Map.entry("properties", Map.of()),
                Map.entry("additionalProperties", false));
    }
}
