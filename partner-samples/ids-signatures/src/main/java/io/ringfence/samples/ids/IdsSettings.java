package io.ringfence.samples.ids;

import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.ProfileParameter;
import io.ringfence.spi.inspection.ProfileSchema;
import io.ringfence.spi.inspection.Verdict;
import java.util.List;

/**
 * A profile's configuration, read once per session.
 *
 * @param prevent      drop rules block their flow ({@code prevent}), or only alert ({@code detect})
 * @param blockVerdict what a blocked flow's packets get, from the matching one on: DROP or REJECT
 * @param rules        which signatures the profile's flows are matched against
 */
record IdsSettings(boolean prevent, Verdict blockVerdict, Rules rules) {

    static final String MODE = "mode";
    static final String BLOCK_ACTION = "blockAction";
    static final String BUILT_IN_RULES = "builtInRules";
    static final String RULES = "rules";

    /** Most rules a profile may add (bounds the compile time and the exported state). */
    static final int MAX_PROFILE_RULES = 1000;

    static final ProfileSchema SCHEMA = ProfileSchema.of(
            ProfileParameter.string(MODE, "detect: every match only alerts; prevent: drop rules block their flow",
                    "prevent").allowing("detect", "prevent"),
            ProfileParameter.string(BLOCK_ACTION, "what a blocked flow gets from the matching packet on: drop (every "
                    + "packet is dropped silently) or reject (reset)", "drop").allowing("drop", "reject"),
            ProfileParameter.bool(BUILT_IN_RULES, "match the built-in signatures", true),
            ProfileParameter.stringList(RULES, "more signatures, one rule per element, in the sample's rule format")
                    .withMaxLength(MAX_PROFILE_RULES));

    /**
     * The signatures of a profile; equal values compile to the same signature set.
     *
     * @param builtIn whether the built-in signatures are included
     * @param extra   the profile's own rules, one per element
     */
    record Rules(boolean builtIn, List<String> extra) {
        Rules {
            extra = List.copyOf(extra);
        }
    }

    /**
     * Reads a profile; absent parameters take the schema's defaults (the framework fills them in,
     * a test's profile may not).
     *
     * @throws IllegalArgumentException if a value is not one the schema allows
     */
    static IdsSettings of(Profile profile) {
        String mode = valueOr(profile.string(MODE), "prevent");
        String blockAction = valueOr(profile.string(BLOCK_ACTION), "drop");
        if (!mode.equals("detect") && !mode.equals("prevent")) {
            throw new IllegalArgumentException("profile " + profile.id() + ": mode is detect or prevent, not " + mode);
        }
        if (!blockAction.equals("drop") && !blockAction.equals("reject")) {
            throw new IllegalArgumentException("profile " + profile.id() + ": blockAction is drop or reject, not "
                    + blockAction);
        }
        List<String> extra = profile.stringList(RULES);
        if (extra.size() > MAX_PROFILE_RULES) {
            throw new IllegalArgumentException("profile " + profile.id() + ": at most " + MAX_PROFILE_RULES + " rules");
        }
        return new IdsSettings(mode.equals("prevent"), blockAction.equals("drop") ? Verdict.DROP : Verdict.REJECT,
                new Rules(profile.bool(BUILT_IN_RULES, true), extra));
    }

    private static String valueOr(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
