package io.ringfence.dataplane.classifier;

import io.ringfence.compiler.CompiledRule;
import java.util.Arrays;
import java.util.List;

/**
 * Lines up the entries of a table's next generation with those of the previous one: which entries
 * carry over unchanged, in order. The compiler hands the same {@link CompiledRule} instances to
 * every generation that keeps a rule, so a rule change shows as a few entries inserted, removed or
 * replaced in an otherwise identical list. A two-pointer walk that, on a mismatch, looks a bounded
 * distance ahead in both lists for the point where they agree again costs O(n + changes × window)
 * comparisons, nearly all of them identity checks.
 */
final class EntryAlignment {

    private EntryAlignment() {
    }

    /**
     * For each entry of {@code after}, the index of the equal entry of {@code before} it carries
     * over, or -1 when it is new; indices that are not -1 increase. Null when more than
     * {@code maxNew} entries of {@code after} would be new.
     */
    static int[] align(List<CompiledRule> before, List<CompiledRule> after, int maxNew) {
        int n = before.size();
        int m = after.size();
        int[] source = new int[m];
        Arrays.fill(source, -1);
        int i = 0;
        int j = 0;
        int added = 0;
        while (i < n && j < m && added <= maxNew) {
            if (same(before.get(i), after.get(j))) {
                source[j++] = i++;
                continue;
            }
            int skip = resynchronise(before, after, i, j, Math.max(1, maxNew));
            if (skip < 0) {
                // no agreement within reach: whatever is left of after is new
                added += m - j;
                j = m;
            } else {
                int skipBefore = skip >>> 16;
                int skipAfter = skip & 0xFFFF;
                i += skipBefore;
                j += skipAfter;
                added += skipAfter;
            }
        }
        added += m - j;
        return added > maxNew ? null : source;
    }

    /**
     * The smallest distance d (up to {@code window}, at most 65535) at which the lists agree again:
     * {@code after} gained d entries, {@code before} lost d, or d were replaced. Returns the entries
     * to skip in before (high 16 bits) and in after (low 16 bits), or -1.
     */
    private static int resynchronise(List<CompiledRule> before, List<CompiledRule> after, int i, int j, int window) {
        int n = before.size();
        int m = after.size();
        for (int d = 1; d <= Math.min(window, 0xFFFF); d++) {
            if (j + d < m && same(before.get(i), after.get(j + d))) {
                return d;
            }
            if (i + d < n && same(before.get(i + d), after.get(j))) {
                return d << 16;
            }
            if (i + d < n && j + d < m && same(before.get(i + d), after.get(j + d))) {
                return d << 16 | d;
            }
        }
        return -1;
    }

    private static boolean same(CompiledRule a, CompiledRule b) {
        return a == b || a.equals(b);
    }
}
