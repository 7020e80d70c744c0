package io.ringfence.target.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @Test
    void addressesComeOutCanonicalWithTheirLengthAndHostBitsCleared() {
        assertThat(Cidr.parse("10.1.2.3")).isEqualTo(new Cidr(false, "10.1.2.3/32"));
        assertThat(Cidr.parse("10.1.2.3/24")).isEqualTo(new Cidr(false, "10.1.2.0/24"));
        assertThat(Cidr.parse("0.0.0.0/0")).isEqualTo(new Cidr(false, "0.0.0.0/0"));
        assertThat(Cidr.parse("2001:DB8::1/64")).isEqualTo(new Cidr(true, "2001:db8:0:0:0:0:0:0/64"));
        assertThat(Cidr.parse("fd00:99::11")).isEqualTo(new Cidr(true, "fd00:99:0:0:0:0:0:11/128"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "10.0.0.256", "10.0.0.1/33", "::1/129", "10.0.0.1/x",
            "10.0.0.1; flush ruleset", "\"10.0.0.1\"", "", "1.2.3", "fe80::1%eth0",
            "::ffff:10.0.0.1"})
    void anythingButAnAddressIsRefused(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
