package io.ringfence.target.openconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrefixTest {

    private static final long BASE_SEED = Long.getLong("ringfence.test.seed", 0x5EEDL);

    @Test
    void prefixesArePrintedAsTheOpenConfigTypesTakeThem() {
        assertThat(Prefix.parse("10.0.1.2/32")).hasToString("10.0.1.2/32");
        assertThat(Prefix.parse("10.0.1.2")).hasToString("10.0.1.2/32");
        assertThat(Prefix.parse("10.0.1.77/24")).as("host bits cleared").hasToString("10.0.1.0/24");
        assertThat(Prefix.parse("2001:0DB8:0000:0000:0000:0000:0000:0001/128")).hasToString("2001:db8::1/128");
        assertThat(Prefix.parse("2001:db8:0:1:0:0:0:1/64")).hasToString("2001:db8:0:1::/64");
        assertThat(Prefix.parse("2001:0:0:1:0:0:0:1/128")).as("the longest run").hasToString("2001:0:0:1::1/128");
        assertThat(Prefix.parse("2001:db8:0:0:1:0:0:1/128")).as("the first of two equal runs")
                .hasToString("2001:db8::1:0:0:1/128");
        assertThat(Prefix.parse("::/0")).hasToString("::/0");
        assertThat(Prefix.parse("::ffff:10.0.0.1/128")).as("no dotted tail: the ipv6-prefix pattern has none")
                .hasToString("::ffff:a00:1/128");
        assertThat(Prefix.parse("fe80::1:0:0:0/64")).hasToString("fe80::/64");
    }

    @Test
    void malformedPrefixesAreRefusedWithoutLookingAnythingUp() {
        for (String bad : List.of("10.0.0.256/32", "10.0.0/24", "10.0.0.1/33", "2001:db8::/129", "web-01", "::g/64",
                "10.0.0.1/", "localhost")) {
            assertThatThrownBy(() -> Prefix.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theComplementCoversExactlyWhatThePrefixesDoNot() {
        for (int iteration = 0; iteration < 300; iteration++) {
            long seed = BASE_SEED + iteration;
            Random random = new Random(seed);
            Family family = random.nextBoolean() ? Family.IPV4 : Family.IPV6;
            List<Prefix> prefixes = new ArrayList<>();
            for (int i = random.nextInt(6); i > 0; i--) {
                int length = random.nextInt(family.bits + 1);
                prefixes.add(new Prefix(family, new BigInteger(family.bits, random), length));
            }

            List<Prefix> complement = Prefix.complement(family, prefixes, Integer.MAX_VALUE - 1);

            String context = "seed " + seed + " (-Dringfence.test.seed=" + seed + "): " + prefixes;
            // in address order, disjoint, and together with the prefixes the whole space, with no gap
            BigInteger next = BigInteger.ZERO;
            List<Prefix> all = new ArrayList<>(prefixes);
            all.addAll(complement);
            all.sort(Prefix.BY_START);
            for (Prefix p : all) {
                assertThat(p.network()).as(context).isLessThanOrEqualTo(next);
                next = next.max(p.last().add(BigInteger.ONE));
            }
            assertThat(next).as(context).isEqualTo(BigInteger.ONE.shiftLeft(family.bits));
            for (int i = 1; i < complement.size(); i++) {
                assertThat(complement.get(i).network()).as(context).isGreaterThan(complement.get(i - 1).last());
            }
            for (Prefix c : complement) {
                for (Prefix p : prefixes) {
                    boolean disjoint = c.last().compareTo(p.network()) < 0 || p.last().compareTo(c.network()) < 0;
                    assertThat(disjoint).as("%s: %s overlaps %s", context, c, p).isTrue();
                }
            }
        }
    }

    @Test
    void theComplementOfNothingIsEverythingAndOfEverythingNothing() {
        assertThat(Prefix.complement(Family.IPV6, List.of(), 10)).containsExactly(Prefix.any(Family.IPV6));
        assertThat(Prefix.complement(Family.IPV4, List.of(Prefix.any(Family.IPV4)), 10)).isEmpty();
    }

    @Test
    void theComplementStopsOneBeyondTheCap() {
        List<Prefix> sparse = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sparse.add(new Prefix(Family.IPV4, BigInteger.valueOf(2L * i), 32));
        }

        assertThat(Prefix.complement(Family.IPV4, sparse, 10)).hasSize(11);
    }
}
