package io.ringfence.model.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * Builds the ObjectMapper used everywhere the model becomes JSON.
 *
 * <p>Strict on input: unknown fields and trailing tokens are errors (a misspelt field must not
 * silently become a default in a firewall rule), enum names are case-insensitive, dates are
 * ISO-8601 strings. Nesting depth is bounded well below what could exhaust the stack.
 */
public final class ModelJson {

    private static final ObjectMapper SHARED = create();

    private ModelJson() {
    }

    /** A shared, fully configured mapper (ObjectMapper is thread-safe once configured). */
    public static ObjectMapper mapper() {
        return SHARED;
    }

    /** A new mapper with the model's configuration. */
    public static ObjectMapper create() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxStringLength(1_000_000)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return JsonMapper.builder(factory)
                // polymorphic types (criteria) are resolved by class name: inside OSGi, Jackson's own
                // class loader cannot see the model, so name the loader that can
                .typeFactory(TypeFactory.defaultInstance().withClassLoader(ModelJson.class.getClassLoader()))
                .addModule(new JavaTimeModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }
}
