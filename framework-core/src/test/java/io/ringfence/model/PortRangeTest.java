package io.ringfence.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.model.json.ModelJson;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PortRangeTest {

    @ParameterizedTest
    @CsvSource({"0,0,0", "443,443,443", "65535,65535,65535", "8000-8080,8000,8080", "0-65535,0,65535",
            "' 80 ',80,80", "'80 - 90',80,90", "80-80,80,80", "00080,80,80"})
    void parses(String text, int from, int to) {
        PortRange r = PortRange.parse(text);
        assertThat(r.from()).isEqualTo(from);
        assertThat(r.to()).isEqualTo(to);
    }

    @Test
    void printsSinglePortWithoutDash() {
        assertThat(PortRange.parse("443")).hasToString("443");
        assertThat(PortRange.parse("80-80")).hasToString("80");
        assertThat(PortRange.parse(" 8000-8080 ")).hasToString("8000-8080");
        assertThat(PortRange.of(0)).hasToString("0");
    }

    @Test
    void rejectsPortAbove65535() {
        assertThatThrownBy(() -> PortRange.parse("65536"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536")
                .hasMessageContaining("0-65535");
        assertThatThrownBy(() -> PortRange.parse("1-65536")).hasMessageContaining("65536");
        assertThatThrownBy(() -> PortRange.of(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PortRange.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PortRange(0, 70000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsReversedRange() {
        assertThatThrownBy(() -> PortRange.parse("80-70"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("80-70")
                .hasMessageContaining("reversed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", " ", "-1", "80-", "-80", "80--90", "1-2-3", "+80", "80a", "8 0", "0x50",
            "1234567", "99999999999", "\u0668\u0660", "\uff18\uff10"})
    void rejectsMalformed(String text) {
        assertThatThrownBy(() -> PortRange.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> PortRange.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void containsIsInclusive() {
        PortRange r = PortRange.parse("8000-8080");
        assertThat(r.contains(7999)).isFalse();
        assertThat(r.contains(8000)).isTrue();
        assertThat(r.contains(8080)).isTrue();
        assertThat(r.contains(8081)).isFalse();
    }

    record Holder(List<PortRange> ports) {
    }

    @Test
    void jsonAcceptsStringAndNumber() throws Exception {
        ObjectMapper json = ModelJson.mapper();
        assertThat(json.readValue("\"443\"", PortRange.class)).isEqualTo(new PortRange(443, 443));
        assertThat(json.readValue("443", PortRange.class)).isEqualTo(new PortRange(443, 443));
        assertThat(json.readValue("\"8000-8080\"", PortRange.class)).isEqualTo(new PortRange(8000, 8080));
        assertThat(json.readValue("{\"ports\":[443,\"8000-8080\",\"0\",65535]}", Holder.class).ports())
                .containsExactly(new PortRange(443, 443), new PortRange(8000, 8080), new PortRange(0, 0),
                        new PortRange(65535, 65535));
    }

    @Test
    void jsonWritesText() throws Exception {
        ObjectMapper json = ModelJson.mapper();
        assertThat(json.writeValueAsString(new PortRange(443, 443))).isEqualTo("\"443\"");
        assertThat(json.writeValueAsString(new PortRange(8000, 8080))).isEqualTo("\"8000-8080\"");
        PortRange r = new PortRange(1, 2);
        assertThat(json.readValue(json.writeValueAsString(r), PortRange.class)).isEqualTo(r);
    }

    @Test
    void jsonRejectsInvalid() {
        ObjectMapper json = ModelJson.mapper();
        assertThatThrownBy(() -> json.readValue("65536", PortRange.class)).hasMessageContaining("65536");
        assertThatThrownBy(() -> json.readValue("\"80-70\"", PortRange.class)).hasMessageContaining("reversed");
        assertThatThrownBy(() -> json.readValue("-1", PortRange.class)).isNotNull();
        assertThatThrownBy(() -> json.readValue("\"abc\"", PortRange.class)).isNotNull();
        assertThatThrownBy(() -> json.readValue("80.5", PortRange.class)).isNotNull();
        assertThatThrownBy(() -> json.readValue("true", PortRange.class)).isNotNull();
        assertThatThrownBy(() -> json.readValue("{\"from\":2,\"to\":1}", PortRange.class))
                .hasMessageContaining("reversed");
    }
}
