package io.ringfence.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.model.json.ModelJson;
import javax.ws.rs.ext.ContextResolver;

/**
 * Makes Jersey read and write JSON with the model's mapper (strict input, ISO dates). A named
 * class, not a lambda: Jersey finds resolvers by their declared type argument.
 */
final class ModelMapperResolver implements ContextResolver<ObjectMapper> {
    @Override
    public ObjectMapper getContext(Class<?> type) {
        return ModelJson.mapper();
    }
}
