package io.ringfence.samples.ids.matching;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AhoCorasickTest {

    private static final long BASE_SEED = Long.getLong("ringfence.test.seed", 0xAC_2024L);
    private static final int ITERATIONS = 400;

    @Test
    void findsOverlappingAndNestedPatterns() {
        AhoCorasick ac = AhoCorasick.build(bytes("he", "she", "his", "hers"), false);
        // "ushers": she and he end at index 3, hers at index 5
        assertThat(matches(ac, "ushers")).containsExactly("3:1", "3:0", "5:3");
    }

    @Test
    void reportsEveryCopyOfAPatternGivenTwice() {
        AhoCorasick ac = AhoCorasick.build(bytes("abc", "abc", "bc"), false);
        assertThat(matches(ac, "xabc")).containsExactlyInAnyOrder("3:0", "3:1", "3:2");
    }

    @Test
    void ignoringCaseFoldsAsciiLettersOfPatternsAndInput() {
        AhoCorasick ac = AhoCorasick.build(bytes("GeT /", "x"), true);
        assertThat(matches(ac, "get / GET / gEt /")).containsExactly("4:0", "10:0", "16:0");
        // only ASCII letters fold: 0xC9 ('É' in Latin-1) is not 0xE9 ('é')
        AhoCorasick accents = AhoCorasick.build(List.of(new byte[] {(byte) 0xC9}), true);
        assertThat(accents.firstMatch(accents.next(AhoCorasick.ROOT, 0xE9))).isEqualTo(-1);
        AhoCorasick exact = AhoCorasick.build(bytes("GeT /"), false);
        assertThat(matches(exact, "get / GeT /")).containsExactly("10:0");
    }

    @Test
    void refusesAnEmptyPattern() {
        assertThatThrownBy(() -> AhoCorasick.build(List.of(new byte[0]), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }

    @Test
    void anAutomatonWithoutPatternsStaysAtTheRoot() {
        AhoCorasick ac = AhoCorasick.build(List.of(), false);
        assertThat(ac.advance(AhoCorasick.ROOT, "anything".getBytes(ISO_8859_1))).isEqualTo(AhoCorasick.ROOT);
        assertThat(ac.stateCount()).isEqualTo(1);
    }

    @Test
    void aStatesLabelLeadsBackToIt() {
        AhoCorasick ac = AhoCorasick.build(bytes("abcd", "bcx", "cdef"), false);
        int state = ac.advance(AhoCorasick.ROOT, "zzabcde".getBytes(ISO_8859_1));
        assertThat(new String(ac.label(state), ISO_8859_1)).isEqualTo("cde");
        assertThat(ac.advance(AhoCorasick.ROOT, ac.label(state))).isEqualTo(state);
        // in a rebuilt automaton the label leads to the equivalent state: "f" completes cdef in both
        AhoCorasick rebuilt = AhoCorasick.build(bytes("cdef", "zz"), false);
        int there = rebuilt.next(rebuilt.advance(AhoCorasick.ROOT, ac.label(state)), 'f');
        assertThat(rebuilt.pattern(rebuilt.firstMatch(there))).isZero();
    }

    @Test
    void matchesLikeTheNaiveSearchOnRandomPatternsAndTexts() {
        int large = 0;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            long seed = BASE_SEED + iteration;
            Random random = new Random(seed);
            // small alphabets make overlaps and shared prefixes likely; a wide one makes states with many
            // edges; many long patterns make states deeper than the ones with full transition rows
            int kind = iteration % 4;
            int alphabet = kind == 0 ? 2 : kind == 2 ? 256 : 4;
            int count = switch (kind) {
                case 2 -> 300;
                case 3 -> 400;
                default -> 12;
            };
            int longest = switch (kind) {
                case 2 -> 3;
                case 3 -> 14;
                default -> 6;
            };
            boolean ignoreCase = random.nextBoolean();
            List<byte[]> patterns = new ArrayList<>();
            int n = 1 + random.nextInt(count);
            for (int i = 0; i < n; i++) {
                patterns.add(randomBytes(random, 1 + random.nextInt(longest), alphabet));
            }
            byte[] text = randomText(random, patterns, random.nextInt(400), alphabet);
            AhoCorasick ac = AhoCorasick.build(patterns, ignoreCase);
            if (ac.stateCount() > AhoCorasick.DENSE_STATES) {
                large++;
            }
            List<String> expected = naive(patterns, text, ignoreCase);
            List<String> actual = new ArrayList<>();
            // fed in random pieces, the state carried between them
            int state = AhoCorasick.ROOT;
            int i = 0;
            while (i < text.length) {
                int end = Math.min(text.length, i + 1 + random.nextInt(40));
                for (; i < end; i++) {
                    state = ac.next(state, text[i]);
                    for (int m = ac.firstMatch(state); m >= 0; m = ac.nextMatch(m)) {
                        actual.add(i + ":" + ac.pattern(m));
                    }
                }
            }
            assertThat(actual).as("seed %d (-Dringfence.test.seed=%d), ignoreCase %s", seed, seed, ignoreCase)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(large).as("automata with states beyond the full rows").isGreaterThan(ITERATIONS / 20);
    }

    private static List<String> naive(List<byte[]> patterns, byte[] text, boolean ignoreCase) {
        List<String> found = new ArrayList<>();
        for (int end = 0; end < text.length; end++) {
            for (int p = 0; p < patterns.size(); p++) {
                byte[] pattern = patterns.get(p);
                int start = end - pattern.length + 1;
                if (start < 0) {
                    continue;
                }
                boolean equal = true;
                for (int k = 0; k < pattern.length && equal; k++) {
                    equal = fold(pattern[k], ignoreCase) == fold(text[start + k], ignoreCase);
                }
                if (equal) {
                    found.add(end + ":" + p);
                }
            }
        }
        return found;
    }

    private static int fold(byte b, boolean ignoreCase) {
        int c = b & 0xFF;
        return ignoreCase && c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    /**
     * Random bytes interleaved with pieces of the patterns (whole ones, or prefixes cut short), so
     * that the automaton goes deep and leaves deep states through their failure links.
     */
    private static byte[] randomText(Random random, List<byte[]> patterns, int length, int alphabet) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        while (text.size() < length) {
            if (random.nextBoolean()) {
                byte[] p = patterns.get(random.nextInt(patterns.size()));
                text.write(p, 0, random.nextBoolean() ? p.length : 1 + random.nextInt(p.length));
            } else {
                text.writeBytes(randomBytes(random, 1 + random.nextInt(3), alphabet));
            }
        }
        return Arrays.copyOf(text.toByteArray(), length);
    }

    /** Bytes over an alphabet: for 2 and 4, 'a' 'B' 'c' 'D' (mixed case, to exercise folding). */
    private static byte[] randomBytes(Random random, int length, int alphabet) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = alphabet == 256 ? (byte) random.nextInt(256) : (byte) "aBcD".charAt(random.nextInt(alphabet));
            if (alphabet != 256 && random.nextInt(4) == 0) {
                b[i] ^= 0x20;
            }
        }
        return b;
    }

    private static List<String> matches(AhoCorasick ac, String text) {
        List<String> found = new ArrayList<>();
        int state = AhoCorasick.ROOT;
        byte[] bytes = text.getBytes(ISO_8859_1);
        for (int i = 0; i < bytes.length; i++) {
            state = ac.next(state, bytes[i]);
            for (int m = ac.firstMatch(state); m >= 0; m = ac.nextMatch(m)) {
                found.add(i + ":" + ac.pattern(m));
            }
        }
        return found;
    }

    private static List<byte[]> bytes(String... patterns) {
        List<byte[]> list = new ArrayList<>();
        for (String p : patterns) {
            list.add(p.getBytes(ISO_8859_1));
        }
        return list;
    }
}
