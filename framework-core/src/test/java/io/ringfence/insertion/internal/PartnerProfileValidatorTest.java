package io.ringfence.insertion.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ringfence.manager.Violation;
import io.ringfence.model.ServiceProfile;
import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectionDescriptor;
import io.ringfence.spi.inspection.InspectionService;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.ProfileParameter;
import io.ringfence.spi.inspection.ProfileSchema;
import io.ringfence.spi.inspection.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PartnerProfileValidatorTest {

    private final FunctionRegistry registry = new FunctionRegistry(new InsertionConfig(1, 8, Duration.ZERO,
            Duration.ZERO, 3, Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1), 10), Clock.systemUTC(),
            System::nanoTime);
    private final PartnerProfileValidator validator = new PartnerProfileValidator(registry);

    @AfterEach
    void close() {
        registry.close();
    }

    private static InspectionService ids(String version, ProfileSchema schema) {
        InspectionDescriptor d = new InspectionDescriptor("acme", "ids", version, "", schema, false, false);
        return new InspectionService() {
            @Override
            public InspectionDescriptor descriptor() {
                return d;
            }

            @Override
            public InspectionSession open(FlowContext flow, Profile profile, AlertSink alerts) {
                return packet -> Verdict.PASS;
            }
        };
    }

    private static final ProfileSchema V1 = ProfileSchema.of(
            ProfileParameter.string("mode", "", "detect").allowing("detect", "prevent"),
            ProfileParameter.integer("depth", "", 4096L, 0, 65_536));

    private static ServiceProfile profile(String definition, Map<String, Object> values) {
        return new ServiceProfile("p", "P", null, definition, values, 0);
    }

    @Test
    void aProfileFittingTheSchemaOfARegisteredDefinitionIsValid() {
        registry.add(ids("1.0.0", V1), 1, 0);

        assertThat(validator.validate(profile("acme/ids", Map.of("mode", "prevent", "depth", 100)))).isEmpty();
        assertThat(validator.validate(profile("acme/ids", Map.of()))).isEmpty();
    }

    @Test
    void anUnknownDefinitionPointsAtTheDefinitionAndListsTheRegisteredOnes() {
        assertThat(validator.validate(profile("acme/ids", Map.of()))).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("'acme/ids'").endsWith("registered: none"));

        registry.add(ids("1.0.0", V1), 1, 0);

        assertThat(validator.validate(profile("acme/av", Map.of("mode", "x")))).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("/definition");
            assertThat(v.message()).contains("'acme/av'").endsWith("registered: acme/ids");
        });
    }

    @Test
    void valuesOutOfTheSchemaPointAtTheirParameters() {
        registry.add(ids("1.0.0", V1), 1, 0);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("mode", "block");
        values.put("depth", 70_000);
        values.put("a/b~c", true);

        assertThat(validator.validate(profile("acme/ids", values))).extracting(Violation::field, Violation::message)
                .containsExactly(
                        tuple("/values/a~1b~0c", "the function has no parameter a/b~c"),
                        tuple("/values/mode", "must be one of [detect, prevent]"),
                        tuple("/values/depth", "must be between 0 and 65536"));
    }

    @Test
    void theNewestInstancesSchemaDecides() {
        registry.add(ids("1.0.0", V1), 1, 0);
        registry.add(ids("2.0.0", ProfileSchema.of(ProfileParameter.bool("strict", "", false))), 2, 0);

        assertThat(validator.validate(profile("acme/ids", Map.of("strict", true)))).isEmpty();
        assertThat(validator.validate(profile("acme/ids", Map.of("mode", "detect")))).extracting(Violation::field)
                .containsExactly("/values/mode");
    }

    @Test
    void aProfileWithoutADefinitionIsLeftToTheModel() {
        assertThat(validator.validate(profile(null, Map.of("anything", 1)))).isEmpty();
        assertThat(validator.validate(profile(" ", Map.of()))).isEmpty();
    }

    @Test
    void theDsComponentDelegates() {
        registry.add(ids("1.0.0", V1), 1, 0);
        var component = new io.ringfence.insertion.internal.osgi.OSGiPartnerProfileValidator(registry);

        assertThat(component.validate(profile("acme/ids", Map.of("mode", 1)))).extracting(Violation::field)
                .isEqualTo(List.of("/values/mode"));
    }
}
