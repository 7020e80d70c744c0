package io.ringfence.samples.ids;

import static io.ringfence.samples.ids.Flows.profile;
import static io.ringfence.samples.ids.Flows.segment;
import static io.ringfence.samples.ids.Flows.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.samples.ids.Flows.RecordingAlerts;
import io.ringfence.samples.ids.signature.Signature;
import io.ringfence.samples.ids.signature.SignatureParser;
import io.ringfence.spi.inspection.Alert;
import io.ringfence.spi.inspection.Health;
import io.ringfence.spi.inspection.InspectionDescriptor;
import io.ringfence.spi.inspection.ParameterType;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.ProfileParameter;
import io.ringfence.spi.inspection.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdsInspectionServiceTest {

    private final IdsInspectionService ids = new IdsInspectionService("1.2.0.beta1", IdsInspectionService.builtInRules());
    private final RecordingAlerts alerts = new RecordingAlerts();

    @Test
    void describesItselfWithItsProfileSchemaAndStateHandOver() {
        InspectionDescriptor d = ids.descriptor();
        assertThat(d.definitionId()).isEqualTo("ringfence-samples/ids-signatures");
        assertThat(d.version()).isEqualTo("1.2.0.beta1");
        assertThat(d.exportsState()).isTrue();
        assertThat(d.importsState()).isTrue();
        assertThat(d.profileSchema().parameters()).extracting(ProfileParameter::name)
                .containsExactly("mode", "blockAction", "builtInRules", "rules");
        ProfileParameter mode = d.profileSchema().parameter("mode");
        assertThat(mode.allowedValues()).containsExactly("detect", "prevent");
        assertThat(mode.defaultValue()).isEqualTo("prevent");
        ProfileParameter rules = d.profileSchema().parameter("rules");
        assertThat(rules.type()).isEqualTo(ParameterType.STRING_LIST);
        assertThat(rules.maxLength()).isEqualTo(IdsSettings.MAX_PROFILE_RULES);
        assertThat(ids.health()).isEqualTo(Health.UP);
    }

    @Test
    void theBuiltInRulesParseAndKeepToTheirIds() {
        List<Signature> builtIn = new SignatureParser().parse(IdsInspectionService.builtInRules(), "built-in rules")
                .signatures();
        assertThat(builtIn).hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(s -> assertThat(s.id()).isBetween(1000, 1999));
    }

    @Test
    void aDefaultProfileUsesTheBuiltInRulesInPreventMode() {
        Profile defaults = new Profile("default", "Default", Map.of());
        var session = ids.open(tcp(8080), defaults, alerts);
        assertThat(session.inspect(segment(0, "User-Agent: ${JN"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(segment(16, "DI:ldap://x/a}"))).isEqualTo(Verdict.DROP);
        assertThat(alerts.alerts).extracting(Alert::signature).containsExactly("1002");
    }

    @Test
    void aProfileAddsRulesToTheBuiltInOnes() {
        Profile profile = new Profile("p", "P", Map.of(IdsSettings.RULES,
                List.of("alert tcp any (id:5000001; msg:\"beacon\"; content:\"|de ad be ef|\")")));
        var session = ids.open(tcp(443), profile, alerts);
        assertThat(session.inspect(segment(0, "\u00de\u00ad\u00be\u00ef"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(segment(4, "() { :; }; /bin/sh"))).isEqualTo(Verdict.DROP);
        assertThat(alerts.alerts).extracting(Alert::signature).containsExactly("5000001", "1003");
    }

    @Test
    void aBadProfileRuleFailsTheOpenNamingItsElementLineAndColumn() {
        Profile bad = profile(List.of("alert tcp 80 (id:1; msg:\"ok\"; content:\"x\")",
                "alert tcp 80 (id:2; msg:\"bad\"; content:\"|zz|\")"));
        assertThatThrownBy(() -> ids.open(tcp(80), bad, alerts))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("profile strict: rules[1] line 1 column 42: expected two hex digits or '|' in a |hex| sequence");
        Profile clash = new Profile("clash", "Clash", Map.of(IdsSettings.RULES,
                List.of("alert tcp 80 (id:1001; msg:\"mine\"; content:\"x\")")));
        assertThatThrownBy(() -> ids.open(tcp(80), clash, alerts))
                .hasMessageStartingWith("profile clash: rules[0] line 1 column 18: id 1001 is already used by the rule at "
                        + "built-in rules line ");
    }

    @Test
    void badSettingsFailTheOpen() {
        assertThatThrownBy(() -> ids.open(tcp(80), profile(List.of(), IdsSettings.MODE, "block"), alerts))
                .hasMessage("profile strict: mode is detect or prevent, not block");
        assertThatThrownBy(() -> ids.open(tcp(80), profile(List.of(), IdsSettings.BLOCK_ACTION, "tarpit"), alerts))
                .hasMessage("profile strict: blockAction is drop or reject, not tarpit");
    }

    @Test
    void aRuleSetIsCompiledOnceForAllTheFlowsAndProfilesThatUseIt() {
        IdsSettings.Rules rules = new IdsSettings.Rules(true, List.of("alert tcp any (id:1; msg:\"m\"; content:\"x\")"));
        var first = ids.signatures(rules);
        assertThat(ids.signatures(new IdsSettings.Rules(true, List.of("alert tcp any (id:1; msg:\"m\"; content:\"x\")"))))
                .isSameAs(first);
        assertThat(ids.signatures(new IdsSettings.Rules(false, rules.extra()))).isNotSameAs(first);
        assertThat(ids.open(tcp(80), profile(List.of("alert tcp any (id:1; msg:\"m\"; content:\"x\")")), alerts)
                .signatures()).isSameAs(ids.signatures(new IdsSettings.Rules(false, rules.extra())));
    }

    @Test
    void brokenBuiltInRulesFailTheServiceAtOnce() {
        assertThatThrownBy(() -> new IdsInspectionService("1.0.0", "drop tcp 80 (id:1)"))
                .hasMessageStartingWith("built-in rules line 1 column 1: the rule has no msg");
    }
}
