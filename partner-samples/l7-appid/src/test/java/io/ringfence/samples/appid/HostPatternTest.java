package io.ringfence.samples.appid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostPatternTest {

    @Test
    void aNameMatchesItselfOnlyWhateverTheCase() {
        HostPattern p = HostPattern.parse("WWW.Example.com.");
        assertThat(p.matches("www.example.com")).isTrue();
        assertThat(p.matches("a.www.example.com")).isFalse();
        assertThat(p.matches("example.com")).isFalse();
        assertThat(p).hasToString("www.example.com");
    }

    @Test
    void aWildcardMatchesOneOrMoreLabelsBelowItsNameButNotTheNameItself() {
        HostPattern p = HostPattern.parse("*.example.com");
        assertThat(p.matches("a.example.com")).isTrue();
        assertThat(p.matches("a.b.example.com")).isTrue();
        assertThat(p.matches("example.com")).isFalse();
        assertThat(p.matches("badexample.com")).isFalse();
        assertThat(p.matches("example.com.evil")).isFalse();
        assertThat(p).hasToString("*.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "*.", "**.example.com", "a.*.example.com", "*example.com", "ex ample.com",
            "a..example", ".example.com", "exa/mple.com", "[::1]", "é.example"})
    void malformedPatternsAreRefusedWithTheirText(String text) {
        assertThatThrownBy(() -> HostPattern.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "' is not a host name pattern");
    }
}
