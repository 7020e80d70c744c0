package io.ringfence.samples.ids.signature;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.spi.inspection.Alert.Severity;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamMatcherTest {

    private static final long BASE_SEED = Long.getLong("ringfence.test.seed", 0x57EA_2024L);
    private static final int ITERATIONS = 500;

    @Test
    void contentsMatchInTheirOrderEachAfterThePrevious() {
        SignatureSet set = compile(
                "alert tcp any (id:1; msg:\"m\"; content:\"union\"; nocase; content:\"select\"; nocase)",
                "alert tcp any (id:2; msg:\"m\"; content:\"abc\"; content:\"cde\")",
                "alert tcp any (id:3; msg:\"m\"; content:\"ab\"; content:\"ab\")");
        assertThat(fired(set, "SELECT x UNION")).isEmpty();
        assertThat(fired(set, "x UNION all SELECT")).containsExactly(1);
        // cde overlaps abc in "abcde": it must start after abc ended
        assertThat(fired(set, "abcde")).isEmpty();
        assertThat(fired(set, "abc-cde")).containsExactly(2);
        // the same content twice needs two occurrences that do not overlap
        assertThat(fired(set, "aba")).isEmpty();
        assertThat(fired(set, "abab")).containsExactly(3);
    }

    @Test
    void aRuleFiresOnceAndTheArmedSetIsSharedByTheFlowsStreams() {
        SignatureSet set = compile("alert tcp any (id:1; msg:\"m\"; content:\"x\")");
        BitSet armed = set.applicableTo(6, 80);
        StreamMatcher original = new StreamMatcher(set, armed);
        StreamMatcher reply = new StreamMatcher(set, armed);
        List<Integer> fired = new ArrayList<>();
        original.scan(buffer("x x"), 0, 3, rule -> fired.add(rule));
        reply.scan(buffer("x"), 0, 1, rule -> fired.add(rule));
        assertThat(fired).containsExactly(0);
        assertThat(armed.isEmpty()).isTrue();
    }

    @Test
    void aListenerCanStopTheScan() {
        SignatureSet set = compile("alert tcp any (id:1; msg:\"m\"; content:\"a\")",
                "alert tcp any (id:2; msg:\"m\"; content:\"b\")");
        StreamMatcher matcher = new StreamMatcher(set, set.applicableTo(6, 80));
        List<Integer> fired = new ArrayList<>();
        assertThat(matcher.scan(buffer("xaxb"), 0, 4, rule -> {
            fired.add(rule);
            return false;
        })).isFalse();
        assertThat(fired).containsExactly(0);
        assertThat(matcher.offset()).isEqualTo(2);
    }

    @Test
    void resetForgetsPartialMatchesAndProgress() {
        SignatureSet set = compile("alert tcp any (id:1; msg:\"m\"; content:\"one\"; content:\"two\")");
        StreamMatcher matcher = new StreamMatcher(set, set.applicableTo(6, 80));
        List<Integer> fired = new ArrayList<>();
        matcher.scan(buffer("one tw"), 0, 6, fired::add);
        matcher.reset();
        matcher.scan(buffer("o two"), 0, 5, fired::add);
        assertThat(fired).isEmpty();
        assertThat(matcher.offset()).isEqualTo(5);
    }

    @Test
    void aStreamMovesToAnotherMatcherThroughItsTailsAndProgress() {
        String rules = "alert tcp any (id:1; msg:\"m\"; content:\"GET\"; content:\"passwd\"; nocase)";
        SignatureSet before = compile(rules);
        StreamMatcher exporter = new StreamMatcher(before, before.applicableTo(6, 80));
        exporter.scan(buffer("GET /etc/PAS"), 0, 12, rule -> true);
        List<long[]> progress = new ArrayList<>();
        exporter.forEachProgress((rule, found, lastEnd) -> progress.add(new long[] {rule, found, lastEnd}));
        assertThat(progress).containsExactly(new long[] {0, 1, 2});
        assertThat(exporter.foldedTail()).isEqualTo("pas".getBytes(ISO_8859_1));

        // the importer's set has another rule first: indexes differ, the tail and ids still work
        SignatureSet after = compile("alert tcp any (id:9; msg:\"m\"; content:\"zzz\")", rules);
        StreamMatcher importer = new StreamMatcher(after, after.applicableTo(6, 80));
        importer.restore(exporter.offset(), exporter.exactTail(), exporter.foldedTail());
        importer.restoreProgress(after.ruleOf(1), 1, 2);
        List<Integer> fired = new ArrayList<>();
        importer.scan(buffer("SWD"), 0, 3, fired::add);
        assertThat(fired).containsExactly(after.ruleOf(1));
        assertThat(importer.offset()).isEqualTo(15);
    }

    @Test
    void restoringProgressARuleCannotHaveIsRefused() {
        SignatureSet set = compile("alert tcp any (id:1; msg:\"m\"; content:\"a\"; content:\"b\")");
        StreamMatcher matcher = new StreamMatcher(set, set.applicableTo(6, 80));
        matcher.restore(10, new byte[0], new byte[0]);
        assertThatThrownBy(() -> matcher.restoreProgress(0, 2, 3)).hasMessageContaining("signature 1");
        assertThatThrownBy(() -> matcher.restoreProgress(0, 1, 10)).hasMessageContaining("signature 1");
    }

    @Test
    void findsWhatAGreedySearchFindsOnRandomRulesAndStreams() {
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            long seed = BASE_SEED + iteration;
            Random random = new Random(seed);
            List<Signature> signatures = new ArrayList<>();
            int rules = 1 + random.nextInt(8);
            for (int id = 1; id <= rules; id++) {
                List<Content> contents = new ArrayList<>();
                int n = 1 + random.nextInt(3);
                for (int k = 0; k < n; k++) {
                    contents.add(new Content(randomText(random, 1 + random.nextInt(3)), random.nextBoolean()));
                }
                signatures.add(new Signature(id, "m", Action.ALERT, Transport.TCP, PortRange.ANY, contents,
                        Severity.LOW, "random"));
            }
            byte[] stream = randomText(random, random.nextInt(60));
            SignatureSet set = SignatureSet.compile(signatures);
            StreamMatcher matcher = new StreamMatcher(set, set.applicableTo(6, 80));
            List<String> actual = new ArrayList<>();
            int i = 0;
            while (i < stream.length) {
                int end = Math.min(stream.length, i + 1 + random.nextInt(8));
                matcher.scan(ByteBuffer.wrap(stream), i, end,
                        rule -> actual.add(set.signature(rule).id() + "@" + matcher.offset()));
                i = end;
            }
            List<String> expected = new ArrayList<>();
            for (Signature s : signatures) {
                long end = greedyEnd(s, stream);
                if (end >= 0) {
                    expected.add(s.id() + "@" + end);
                }
            }
            assertThat(actual).as("seed %d (-Dringfence.test.seed=%d): %s in %s", seed, seed, signatures,
                    new String(stream, ISO_8859_1)).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** Where the rule's last content ends when each content is taken at its first occurrence after the previous, or -1. */
    private static long greedyEnd(Signature s, byte[] stream) {
        int from = 0;
        int end = -1;
        for (Content c : s.contents()) {
            int at = indexOf(stream, c, from);
            if (at < 0) {
                return -1;
            }
            end = at + c.length() - 1;
            from = end + 1;
        }
        return end;
    }

    private static int indexOf(byte[] stream, Content c, int from) {
        byte[] p = c.bytes();
        for (int i = from; i + p.length <= stream.length; i++) {
            int k = 0;
            while (k < p.length && (c.nocase() ? Character.toLowerCase(p[k]) == Character.toLowerCase(stream[i + k])
                    : p[k] == stream[i + k])) {
                k++;
            }
            if (k == p.length) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] randomText(Random random, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) "abAB".charAt(random.nextInt(4));
        }
        return b;
    }

    private static List<Integer> fired(SignatureSet set, String stream) {
        StreamMatcher matcher = new StreamMatcher(set, set.applicableTo(6, 80));
        List<Integer> ids = new ArrayList<>();
        // one byte at a time: every match straddles a piece boundary
        for (int i = 0; i < stream.length(); i++) {
            matcher.scan(buffer(stream), i, i + 1, rule -> ids.add(set.signature(rule).id()));
        }
        return ids;
    }

    private static SignatureSet compile(String... rules) {
        return SignatureSet.compile(new SignatureParser().parse(String.join("\n", rules), "test").signatures());
    }

    private static ByteBuffer buffer(String s) {
        return ByteBuffer.wrap(s.getBytes(ISO_8859_1)).asReadOnlyBuffer();
    }
}
