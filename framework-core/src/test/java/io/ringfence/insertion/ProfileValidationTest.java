package io.ringfence.insertion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ringfence.insertion.ProfileViolation.Kind;
import io.ringfence.spi.inspection.ParameterType;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.ProfileParameter;
import io.ringfence.spi.inspection.ProfileSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileValidationTest {

    static final ProfileSchema IDS = ProfileSchema.of(
            ProfileParameter.string("mode", "detect or prevent", "detect").allowing("detect", "prevent"),
            ProfileParameter.integer("depth", "bytes inspected per flow", 4096L, 0, 1_048_576),
            ProfileParameter.bool("logAll", "log every flow", false),
            ProfileParameter.stringList("categories", "signature categories").allowing("malware", "scan", "policy")
                    .withMaxLength(2),
            ProfileParameter.string("tenant", "whose rules", null).asRequired().withMaxLength(8),
            ProfileParameter.string("comment", "free text", null));

    private static ProfileValidation.Result validate(Map<String, ?> values) {
        return ProfileValidation.validate(IDS, "strict", "Strict IDS", values);
    }

    @Test
    void aValidProfileGetsItsDefaultsAndJavaTypes() {
        ProfileValidation.Result r = validate(Map.of("tenant", "blue", "depth", 512, "categories", List.of("scan")));

        assertThat(r.valid()).isTrue();
        Profile p = r.profile();
        assertThat(p.id()).isEqualTo("strict");
        assertThat(p.name()).isEqualTo("Strict IDS");
        assertThat(p.values()).containsExactly(Map.entry("mode", "detect"), Map.entry("depth", 512L),
                Map.entry("logAll", false), Map.entry("categories", List.of("scan")), Map.entry("tenant", "blue"));
        assertThat(p.values()).doesNotContainKey("comment");
    }

    @Test
    void integersOfAnyWidthAndIntegralNumbersAreIntegers() {
        assertThat(validate(Map.of("tenant", "t", "depth", 7L)).profile().integer("depth", 0)).isEqualTo(7);
        assertThat(validate(Map.of("tenant", "t", "depth", (short) 7)).profile().integer("depth", 0)).isEqualTo(7);
        assertThat(validate(Map.of("tenant", "t", "depth", BigInteger.valueOf(7))).profile().integer("depth", 0)).isEqualTo(7);
        assertThat(validate(Map.of("tenant", "t", "depth", 7.0)).profile().integer("depth", 0)).isEqualTo(7);
        assertThat(validate(Map.of("tenant", "t", "depth", new BigDecimal("7.00"))).profile().integer("depth", 0)).isEqualTo(7);
    }

    @Test
    void everyViolationNamesItsParameter() {
        Map<String, Object> values = new HashMap<>();
        values.put("mode", "block");                                // not allowed
        values.put("depth", 2_000_000);                             // out of range
        values.put("logAll", "yes");                                // wrong type
        values.put("categories", List.of("malware", "spam", "scan")); // one not allowed, too many
        values.put("comment", null);                                // wrong type: null is not a string
        values.put("color", "red");                                 // unknown
        values.put("alpha", 1);                                     // unknown

        ProfileValidation.Result r = validate(values);

        assertThat(r.valid()).isFalse();
        assertThat(r.profile()).isNull();
        assertThat(r.violations()).extracting(ProfileViolation::parameter, ProfileViolation::kind).containsExactly(
                tuple("alpha", Kind.UNKNOWN_PARAMETER),
                tuple("color", Kind.UNKNOWN_PARAMETER),
                tuple("mode", Kind.NOT_ALLOWED),
                tuple("depth", Kind.OUT_OF_RANGE),
                tuple("logAll", Kind.WRONG_TYPE),
                tuple("categories", Kind.NOT_ALLOWED),
                tuple("categories", Kind.TOO_LONG),
                tuple("tenant", Kind.MISSING_REQUIRED),
                tuple("comment", Kind.WRONG_TYPE));
        assertThat(r.violations()).extracting(ProfileViolation::message).contains(
                "must be one of [detect, prevent]", "must be between 0 and 1048576", "must be a boolean, not a string",
                "element 1 (spam) must be one of [malware, scan, policy]", "must have at most 2 elements", "is required",
                "must be a string, not null");
    }

    @Test
    void typesAreCheckedStrictly() {
        assertThat(validate(Map.of("tenant", "t", "depth", 7.5)).violations())
                .extracting(ProfileViolation::kind, ProfileViolation::message)
                .containsExactly(tuple(Kind.WRONG_TYPE, "must be an integer, not a number"));
        assertThat(validate(Map.of("tenant", "t", "depth", "7")).violations()).extracting(ProfileViolation::kind)
                .containsExactly(Kind.WRONG_TYPE);
        assertThat(validate(Map.of("tenant", "t", "categories", "scan")).violations()).extracting(ProfileViolation::message)
                .containsExactly("must be a list of strings, not a string");
        assertThat(validate(Map.of("tenant", "t", "categories", List.of(1))).violations()).extracting(ProfileViolation::message)
                .containsExactly("element 0 must be a string, not a number");
        assertThat(validate(Map.of("tenant", Map.of("a", 1))).violations()).extracting(ProfileViolation::message)
                .containsExactly("must be a string, not an object");
        assertThat(validate(Map.of("tenant", "t", "depth", new BigDecimal("1e30"))).violations())
                .extracting(ProfileViolation::kind).containsExactly(Kind.OUT_OF_RANGE);
    }

    @Test
    void stringLengthsCountCharactersNotUtf16Units() {
        // eight emoji are eight characters (sixteen UTF-16 units)
        String eight = "\uD83D\uDD25".repeat(8);
        assertThat(validate(Map.of("tenant", eight)).valid()).isTrue();
        assertThat(validate(Map.of("tenant", eight + "x")).violations()).extracting(ProfileViolation::kind)
                .containsExactly(Kind.TOO_LONG);
    }

    @Test
    void anEmptySchemaTakesNoParameters() {
        assertThat(ProfileValidation.validate(ProfileSchema.EMPTY, "p", "p", null).profile().values()).isEmpty();
        assertThat(ProfileValidation.validate(ProfileSchema.EMPTY, "p", "p", Map.of("x", 1)).violations())
                .extracting(ProfileViolation::kind).containsExactly(Kind.UNKNOWN_PARAMETER);
    }

    @Test
    void aRequiredParameterWithADefaultMustStillBeGiven() {
        ProfileSchema s = ProfileSchema.of(new ProfileParameter("n", ParameterType.INTEGER, "", true, 3L, null, null, null, 0));
        assertThat(ProfileValidation.validate(s, "p", "p", Map.of()).violations()).extracting(ProfileViolation::kind)
                .containsExactly(Kind.MISSING_REQUIRED);
    }
}
