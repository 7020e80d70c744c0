package io.ringfence.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AddressSetTest {

    private static IpPrefix p(String text) {
        return IpPrefix.parse(text);
    }

    private static AddressSet set(String... prefixes) {
        return AddressSet.of(Stream.of(prefixes).map(IpPrefix::parse).toList());
    }

    private static List<String> texts(AddressSet s) {
        return s.toPrefixes().stream().map(IpPrefix::toString).toList();
    }

    // ---- basics

    @Test
    void emptySet() {
        assertThat(AddressSet.EMPTY.isEmpty()).isTrue();
        assertThat(AddressSet.EMPTY.toPrefixes()).isEmpty();
        assertThat(AddressSet.EMPTY.contains(p("0.0.0.0"))).isFalse();
        assertThat(AddressSet.EMPTY.contains(p("::"))).isFalse();
        assertThat(AddressSet.of(List.of())).isEqualTo(AddressSet.EMPTY);
        assertThat(AddressSet.EMPTY.minus(set("10.0.0.0/8"))).isEqualTo(AddressSet.EMPTY);
        assertThat(set("10.0.0.0/8").minus(AddressSet.EMPTY)).isEqualTo(set("10.0.0.0/8"));
        assertThat(AddressSet.EMPTY.union(set("::1"))).isEqualTo(set("::1"));
        assertThat(set("10.0.0.0/8").minus(set("10.0.0.0/8")).isEmpty()).isTrue();
        assertThat(set("10.0.0.0/8").minus(set("0.0.0.0/0"))).isEqualTo(AddressSet.EMPTY);
    }

    @Test
    void wholeSpaces() {
        assertThat(texts(set("0.0.0.0/0"))).containsExactly("0.0.0.0/0");
        assertThat(texts(set("::/0"))).containsExactly("::/0");
        assertThat(texts(set("::/0", "0.0.0.0/0"))).containsExactly("0.0.0.0/0", "::/0");
        assertThat(set("0.0.0.0/0").contains(p("255.255.255.255"))).isTrue();
        assertThat(set("0.0.0.0/0").contains(p("0.0.0.0/0"))).isTrue();
        assertThat(set("::/0").contains(p("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(set("::/0").contains(p("::/0"))).isTrue();
        assertThat(set("0.0.0.0/1", "128.0.0.0/1")).isEqualTo(set("0.0.0.0/0"));
        assertThat(set("::/1", "8000::/1")).isEqualTo(set("::/0"));
    }

    @Test
    void familiesAreSeparate() {
        AddressSet v4 = set("0.0.0.0/0");
        AddressSet v6 = set("::/0");
        assertThat(v4.contains(p("::"))).isFalse();
        assertThat(v6.contains(p("0.0.0.0"))).isFalse();
        assertThat(v4.minus(v6)).isEqualTo(v4);
        assertThat(set("::/96").contains(p("10.0.0.1"))).isFalse();
        // IPv4 first, then IPv6, each ascending
        assertThat(texts(set("2001:db8::/32", "10.0.0.0/8", "::1", "1.0.0.0/8")))
                .containsExactly("1.0.0.0/8", "10.0.0.0/8", "::1", "2001:db8::/32");
    }

    @Test
    void overlappingAndDuplicatePrefixesCollapse() {
        assertThat(texts(set("10.0.0.0/8", "10.1.0.0/16", "10.0.0.0/8", "10.255.255.255"))).containsExactly("10.0.0.0/8");
        assertThat(texts(set("2001:db8::/48", "2001:db8::/32"))).containsExactly("2001:db8::/32");
    }

    @Test
    void adjacentRangesMerge() {
        assertThat(texts(set("10.0.0.0/25", "10.0.0.128/25"))).containsExactly("10.0.0.0/24");
        assertThat(texts(set("10.0.0.0/25").union(set("10.0.0.128/25")))).containsExactly("10.0.0.0/24");
        assertThat(texts(set("10.0.0.4/30", "10.0.0.0/30", "10.0.0.8/29"))).containsExactly("10.0.0.0/28");
        assertThat(texts(set("255.255.255.254", "255.255.255.255"))).containsExactly("255.255.255.254/31");
        // adjacent across the 64-bit boundary of an IPv6 address
        assertThat(texts(set("::/64", "0:0:0:1::/64"))).containsExactly("::/63");
        assertThat(texts(set("::ffff:ffff:ffff:ffff", "0:0:0:1::")))
                .containsExactly("::ffff:ffff:ffff:ffff", "0:0:0:1::");
        assertThat(set("::ffff:ffff:ffff:ffff", "0:0:0:1::"))
                .isEqualTo(set("::ffff:ffff:ffff:ffff").union(set("0:0:0:1::")));
        // adjacent but not mergeable into one prefix: one range, two prefixes
        assertThat(texts(set("10.0.0.1", "10.0.0.2/31"))).containsExactly("10.0.0.1", "10.0.0.2/31");
    }

    @Test
    void rangesPerFamilyAreMergedAndCopied() {
        AddressSet s = set("10.0.0.0/25", "10.0.0.128/25", "10.0.2.0", "::/64", "0:0:0:1::/64", "2001:db8::1");
        assertThat(s.ranges(IpFamily.IPV4)).containsExactly(0, 0x0A00_0000L, 0, 0x0A00_00FFL, 0, 0x0A00_0200L, 0,
                0x0A00_0200L);
        assertThat(s.ranges(IpFamily.IPV6)).containsExactly(0, 0, 1, -1L, 0x2001_0db8_0000_0000L, 1,
                0x2001_0db8_0000_0000L, 1);
        assertThat(AddressSet.EMPTY.ranges(IpFamily.IPV6)).isEmpty();
        s.ranges(IpFamily.IPV4)[0] = 99;
        assertThat(s.ranges(IpFamily.IPV4)[0]).isZero();
    }

    @Test
    void rangesThatNeedSeveralPrefixes() {
        AddressSet oneToSix = set("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6");
        assertThat(texts(oneToSix)).containsExactly("10.0.0.1", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6");
        assertThat(texts(set("0.0.0.0/0").minus(set("0.0.0.0")))).containsExactly(
                "0.0.0.1", "0.0.0.2/31", "0.0.0.4/30", "0.0.0.8/29", "0.0.0.16/28", "0.0.0.32/27", "0.0.0.64/26",
                "0.0.0.128/25", "0.0.1.0/24", "0.0.2.0/23", "0.0.4.0/22", "0.0.8.0/21", "0.0.16.0/20",
                "0.0.32.0/19", "0.0.64.0/18", "0.0.128.0/17", "0.1.0.0/16", "0.2.0.0/15", "0.4.0.0/14",
                "0.8.0.0/13", "0.16.0.0/12", "0.32.0.0/11", "0.64.0.0/10", "0.128.0.0/9", "1.0.0.0/8",
                "2.0.0.0/7", "4.0.0.0/6", "8.0.0.0/5", "16.0.0.0/4", "32.0.0.0/3", "64.0.0.0/2", "128.0.0.0/1");
    }

    @Test
    void wholeIpv4SpaceLessItsLastAddress() {
        List<IpPrefix> out = set("0.0.0.0/0").minus(set("255.255.255.255")).toPrefixes();
        assertThat(out).hasSize(32);
        assertThat(out.get(0)).isEqualTo(p("0.0.0.0/1"));
        assertThat(out.get(1)).isEqualTo(p("128.0.0.0/2"));
        assertThat(out.get(31)).isEqualTo(p("255.255.255.254"));
        for (int i = 0; i < 32; i++) {
            assertThat(out.get(i).length()).isEqualTo(i + 1);
        }
        assertThat(set("0.0.0.0/0").minus(set("255.255.255.255")).contains(p("255.255.255.255"))).isFalse();
        assertThat(set("0.0.0.0/0").minus(set("255.255.255.255")).contains(p("255.255.255.254"))).isTrue();
    }

    @Test
    void wholeIpv6SpaceLessItsFirstAndLastAddresses() {
        IpPrefix last = p("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
        List<IpPrefix> lessLast = set("::/0").minus(AddressSet.of(last)).toPrefixes();
        assertThat(lessLast).hasSize(128);
        assertThat(lessLast.get(0)).isEqualTo(p("::/1"));
        assertThat(lessLast.get(63)).isEqualTo(p("ffff:ffff:ffff:fffe::/64"));
        assertThat(lessLast.get(64)).isEqualTo(p("ffff:ffff:ffff:ffff::/65"));
        assertThat(lessLast.get(127)).isEqualTo(p("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"));
        for (int i = 0; i < 128; i++) {
            assertThat(lessLast.get(i).length()).isEqualTo(i + 1);
        }
        List<IpPrefix> lessFirst = set("::/0").minus(set("::")).toPrefixes();
        assertThat(lessFirst).hasSize(128);
        assertThat(lessFirst.get(0)).isEqualTo(p("::1"));
        assertThat(lessFirst.get(63)).isEqualTo(p("0:0:0:0:8000::/65"));
        assertThat(lessFirst.get(64)).isEqualTo(p("0:0:0:1::/64"));
        assertThat(lessFirst.get(127)).isEqualTo(p("8000::/1"));
        assertThat(AddressSet.of(lessLast).union(AddressSet.of(last))).isEqualTo(set("::/0"));
        assertThat(AddressSet.of(lessFirst).union(set("::"))).isEqualTo(set("::/0"));
        assertThat(set("::/0").minus(set("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).toPrefixes()).hasSize(254);
    }

    @Test
    void topOfTheSpace() {
        AddressSet top = set("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127");
        assertThat(top.contains(p("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(texts(top.union(set("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc/127"))))
                .containsExactly("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc/126");
        assertThat(texts(set("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120")
                .minus(set("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff80/121"))))
                .containsExactly("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/121");
        assertThat(texts(set("255.255.255.0/24").minus(set("255.255.255.0/25"))))
                .containsExactly("255.255.255.128/25");
    }

    @Test
    void subtractingAHoleFromTheMiddle() {
        assertThat(texts(set("10.0.0.0/24").minus(set("10.0.0.128/26"))))
                .containsExactly("10.0.0.0/25", "10.0.0.192/26");
        assertThat(texts(set("10.0.0.0/24").minus(set("10.0.0.100")))).containsExactly(
                "10.0.0.0/26", "10.0.0.64/27", "10.0.0.96/30", "10.0.0.101", "10.0.0.102/31", "10.0.0.104/29",
                "10.0.0.112/28", "10.0.0.128/25");
        assertThat(texts(set("2001:db8::/32").minus(set("2001:db8:8000::/33"))))
                .containsExactly("2001:db8::/33");
        assertThat(texts(set("2001:db8::/126").minus(set("2001:db8::1", "2001:db8::2"))))
                .containsExactly("2001:db8::", "2001:db8::3");
    }

    @Test
    void holesSpanningSeveralRanges() {
        AddressSet ranges = set("10.0.0.0/30", "10.0.0.8/30", "10.0.0.16/30", "10.0.0.24/30");
        assertThat(texts(ranges.minus(set("10.0.0.2/31", "10.0.0.4/30", "10.0.0.8/29", "10.0.0.26/31"))))
                .containsExactly("10.0.0.0/31", "10.0.0.16/30", "10.0.0.24/31");
        assertThat(texts(ranges.minus(set("10.0.0.1", "10.0.0.9", "10.0.0.17")))).containsExactly(
                "10.0.0.0", "10.0.0.2/31", "10.0.0.8", "10.0.0.10/31", "10.0.0.16", "10.0.0.18/31", "10.0.0.24/30");
    }

    @Test
    void containsNeedsTheWholePrefix() {
        AddressSet s = set("10.0.0.0/25", "10.0.0.128/26");
        assertThat(s.contains(p("10.0.0.0/25"))).isTrue();
        assertThat(s.contains(p("10.0.0.64/26"))).isTrue();
        assertThat(s.contains(p("10.0.0.0/24"))).isFalse();
        assertThat(s.contains(p("10.0.0.191"))).isTrue();
        assertThat(s.contains(p("10.0.0.192"))).isFalse();
        assertThat(s.contains(p("9.255.255.255"))).isFalse();
        // a prefix straddling two ranges separated by a gap
        AddressSet gap = set("10.0.0.0/26", "10.0.0.65", "10.0.0.66/31", "10.0.0.68/30", "10.0.0.72/29",
                "10.0.0.80/28", "10.0.0.96/27");
        assertThat(gap.contains(p("10.0.0.64/26"))).isFalse();
        assertThat(gap.contains(p("10.0.0.0/25"))).isFalse();
        assertThat(gap.contains(p("10.0.0.64"))).isFalse();
        assertThat(gap.contains(p("10.0.0.96/27"))).isTrue();
    }

    @Test
    void equalityIsBySetNotConstruction() {
        assertThat(set("10.0.0.0/25", "10.0.0.128/25")).isEqualTo(set("10.0.0.0/24"))
                .hasSameHashCodeAs(set("10.0.0.0/24"));
        assertThat(set("10.0.0.0/24").minus(set("10.0.0.0/25"))).isEqualTo(set("10.0.0.128/25"));
        assertThat(set("10.0.0.0/24")).isNotEqualTo(set("10.0.0.0/25"));
        assertThat(set("10.0.0.0/24")).hasToString("[10.0.0.0/24]");
    }

    // ---- randomized, against a brute-force oracle over a small universe of 256 addresses

    /**
     * 256 consecutive addresses from {@code base}; random prefixes are aligned blocks inside it,
     * of length {@code minLength} up to the full length.
     */
    record Universe(String name, IpFamily family, long baseHigh, long baseLow, int minLength) {
        static final int SIZE = 256;

        int bits() {
            return family.bits();
        }

        /** The block of {@code 2^(bits - length)} addresses at {@code offset}. */
        IpPrefix block(int offset, int length) {
            long low = baseLow + offset;
            long high = Long.compareUnsigned(low, baseLow) < 0 ? baseHigh + 1 : baseHigh;
            return new IpPrefix(family, high, low, length);
        }

        int blockSize(int length) {
            return 1 << (bits() - length);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Universe> universes() {
        return Stream.of(
                new Universe("10.0.0.0/24", IpFamily.IPV4, 0, 0x0A00_0000L, 24),
                new Universe("0.0.0.0/24", IpFamily.IPV4, 0, 0, 24),
                new Universe("255.255.255.0/24", IpFamily.IPV4, 0, 0xFFFF_FF00L, 24),
                new Universe("2001:db8::/120", IpFamily.IPV6, 0x2001_0db8_0000_0000L, 0, 120),
                new Universe("::/120", IpFamily.IPV6, 0, 0, 120),
                new Universe("ffff:...:ff00/120", IpFamily.IPV6, -1L, 0xFFFF_FFFF_FFFF_FF00L, 120),
                // straddles the boundary between the two longs: blocks of at most 128 addresses
                new Universe("::ffff:ffff:ffff:ff80 + 256", IpFamily.IPV6, 0, 0xFFFF_FFFF_FFFF_FF80L, 121));
    }

    private static final long BASE_SEED = Long.getLong("ringfence.test.seed", 0x5EED_2024L);
    private static final int ITERATIONS = 300;

    @ParameterizedTest(name = "{0}")
    @MethodSource("universes")
    void matchesBruteForceOracle(Universe u) {
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            long seed = BASE_SEED + iteration;
            Random random = new Random(seed);
            String context = "universe " + u + ", seed " + seed + " (-Dringfence.test.seed=" + seed + ")";
            BitSet oracle = new BitSet(Universe.SIZE);
            AddressSet actual = AddressSet.EMPTY;
            StringBuilder history = new StringBuilder();
            int ops = 1 + random.nextInt(8);
            for (int op = 0; op < ops; op++) {
                int n = 1 + random.nextInt(4);
                List<IpPrefix> prefixes = new ArrayList<>();
                BitSet bits = new BitSet(Universe.SIZE);
                for (int i = 0; i < n; i++) {
                    int length = u.minLength() + random.nextInt(u.bits() - u.minLength() + 1);
                    int size = u.blockSize(length);
                    int offset = random.nextInt(Universe.SIZE / size) * size;
                    prefixes.add(u.block(offset, length));
                    bits.set(offset, offset + size);
                }
                AddressSet operand = random.nextBoolean()
                        ? AddressSet.of(prefixes)
                        : prefixes.stream().map(AddressSet::of).reduce(AddressSet.EMPTY, AddressSet::union);
                if (op == 0 || random.nextInt(10) < 6) {
                    actual = actual.union(operand);
                    oracle.or(bits);
                    history.append(" + ").append(prefixes);
                } else {
                    actual = actual.minus(operand);
                    oracle.andNot(bits);
                    history.append(" - ").append(prefixes);
                }
            }
            String message = context + ", ops:" + history;
            checkAgainstOracle(u, actual, oracle, message);
        }
    }

    private static void checkAgainstOracle(Universe u, AddressSet actual, BitSet oracle, String message) {
        // membership of every address, and of every aligned block, of the universe
        for (int length = u.minLength(); length <= u.bits(); length++) {
            int size = u.blockSize(length);
            for (int offset = 0; offset < Universe.SIZE; offset += size) {
                boolean expected = oracle.nextClearBit(offset) >= offset + size;
                assertThat(actual.contains(u.block(offset, length)))
                        .as("%s: contains(%s)", message, u.block(offset, length))
                        .isEqualTo(expected);
            }
        }
        assertThat(actual.isEmpty()).as(message).isEqualTo(oracle.isEmpty());

        List<IpPrefix> prefixes = actual.toPrefixes();
        // exactly covers the set, disjoint and ascending
        BitSet covered = new BitSet(Universe.SIZE);
        IpPrefix previous = null;
        for (IpPrefix q : prefixes) {
            assertThat(q.family()).as(message).isEqualTo(u.family());
            int offset = offsetOf(u, q);
            int size = u.blockSize(q.length());
            assertThat(offset).as("%s: %s lies outside the universe", message, q).isBetween(0, Universe.SIZE - size);
            assertThat(covered.get(offset, offset + size).isEmpty())
                    .as("%s: %s overlaps an earlier prefix of %s", message, q, prefixes).isTrue();
            covered.set(offset, offset + size);
            if (previous != null) {
                assertThat(previous).as(message).isLessThan(q);
                // minimal: no two output prefixes are the two halves of one larger prefix
                boolean siblings = previous.length() == q.length() && q.length() > 0
                        && parent(previous).equals(parent(q));
                assertThat(siblings).as("%s: %s and %s could be merged", message, previous, q).isFalse();
            }
            previous = q;
        }
        assertThat(covered).as("%s: toPrefixes() = %s", message, prefixes).isEqualTo(oracle);
        // and is the unique minimal decomposition
        List<IpPrefix> expected = new ArrayList<>();
        int tile = u.blockSize(u.minLength());
        for (int offset = 0; offset < Universe.SIZE; offset += tile) {
            decompose(u, oracle, offset, u.minLength(), expected);
        }
        assertThat(prefixes).as(message).containsExactlyElementsOf(expected);

        // a set is equal to the set of its own prefixes, and algebra holds
        assertThat(AddressSet.of(prefixes)).as(message).isEqualTo(actual).hasSameHashCodeAs(actual);
        assertThat(actual.union(actual)).as(message).isEqualTo(actual);
        assertThat(actual.minus(actual).isEmpty()).as(message).isTrue();
        AddressSet universe = AddressSet.of(allTiles(u));
        AddressSet complement = universe.minus(actual);
        assertThat(complement.union(actual)).as(message).isEqualTo(universe);
        assertThat(complement.minus(universe).isEmpty()).as(message).isTrue();
        for (IpPrefix q : complement.toPrefixes()) {
            int offset = offsetOf(u, q);
            assertThat(oracle.get(offset, offset + u.blockSize(q.length())).isEmpty())
                    .as("%s: complement prefix %s intersects the set", message, q).isTrue();
        }
    }

    private static List<IpPrefix> allTiles(Universe u) {
        List<IpPrefix> tiles = new ArrayList<>();
        int tile = u.blockSize(u.minLength());
        for (int offset = 0; offset < Universe.SIZE; offset += tile) {
            tiles.add(u.block(offset, u.minLength()));
        }
        return tiles;
    }

    private static void decompose(Universe u, BitSet oracle, int offset, int length, List<IpPrefix> out) {
        int size = u.blockSize(length);
        if (oracle.get(offset, offset + size).isEmpty()) {
            return;
        }
        if (oracle.nextClearBit(offset) >= offset + size) {
            out.add(u.block(offset, length));
            return;
        }
        decompose(u, oracle, offset, length + 1, out);
        decompose(u, oracle, offset + size / 2, length + 1, out);
    }

    private static int offsetOf(Universe u, IpPrefix q) {
        long diffLow = q.low() - u.baseLow();
        long diffHigh = q.high() - u.baseHigh() - (Long.compareUnsigned(q.low(), u.baseLow()) < 0 ? 1 : 0);
        if (diffHigh != 0 || diffLow < 0 || diffLow >= Universe.SIZE) {
            return -1;
        }
        return (int) diffLow;
    }

    private static IpPrefix parent(IpPrefix q) {
        int length = q.length() - 1;
        long[] last = new IpPrefix(q.family(), 0, 0, length).last(); // host mask of the parent
        return new IpPrefix(q.family(), q.high() & ~last[0], q.low() & ~last[1], length);
    }
}
