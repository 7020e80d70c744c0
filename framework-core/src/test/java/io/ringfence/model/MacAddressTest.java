package io.ringfence.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.model.json.ModelJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressTest {

    @Test
    void parsesColonsAndDashesInAnyCase() {
        MacAddress mac = MacAddress.parse("00:50:56:AB:cd:EF");
        assertThat(mac.value()).isEqualTo(0x0050_56AB_CDEFL);
        assertThat(mac).hasToString("00:50:56:ab:cd:ef");
        assertThat(MacAddress.parse("00-50-56-ab-CD-ef")).isEqualTo(mac);
    }

    @Test
    void extremes() {
        assertThat(MacAddress.parse("00:00:00:00:00:00").value()).isZero();
        assertThat(MacAddress.parse("ff:ff:ff:ff:ff:ff").value()).isEqualTo(0xFFFF_FFFF_FFFFL);
        assertThat(new MacAddress(0)).hasToString("00:00:00:00:00:00");
        assertThat(new MacAddress(0xFFFF_FFFF_FFFFL)).hasToString("ff:ff:ff:ff:ff:ff");
        assertThatThrownBy(() -> new MacAddress(1L << 48)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MacAddress(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00:50:56:ab:cd", "00:50:56:ab:cd:ef:01", "0050.56ab.cdef", "005056abcdef",
            "00:50-56:ab:cd:ef", "00-50-56-ab-cd:ef", "00:50:56:ab:cd:eg", "00 50 56 ab cd ef", "0:50:56:ab:cd:ef0",
            "00:50:56:ab:cd:e ", "+0:50:56:ab:cd:ef", "00:50:56:ab:cd:\uff11\uff11", "00::0:56:ab:cd:ef"})
    void rejectsMalformed(String text) {
        assertThatThrownBy(() -> MacAddress.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MAC");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> MacAddress.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void multicastIsTheIgBit() {
        assertThat(MacAddress.parse("01:00:5e:00:00:01").isMulticast()).isTrue();
        assertThat(MacAddress.parse("ff:ff:ff:ff:ff:ff").isMulticast()).isTrue();
        assertThat(MacAddress.parse("33:33:00:00:00:01").isMulticast()).isTrue();
        assertThat(MacAddress.parse("00:50:56:ab:cd:ef").isMulticast()).isFalse();
        // locally administered (second bit) is unicast
        assertThat(MacAddress.parse("02:00:00:00:00:01").isMulticast()).isFalse();
        assertThat(MacAddress.parse("fe:ff:ff:ff:ff:ff").isMulticast()).isFalse();
    }

    @Test
    void jsonRoundTrip() throws Exception {
        ObjectMapper json = ModelJson.mapper();
        MacAddress mac = MacAddress.parse("00:50:56:AB:CD:EF");
        assertThat(json.writeValueAsString(mac)).isEqualTo("\"00:50:56:ab:cd:ef\"");
        assertThat(json.readValue("\"00-50-56-ab-cd-ef\"", MacAddress.class)).isEqualTo(mac);
        assertThatThrownBy(() -> json.readValue("\"00:50:56\"", MacAddress.class)).hasMessageContaining("MAC");
    }
}
