package io.ringfence.target.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class VerdictTokensTest {

    static final Duration QUARANTINE = Duration.ofDays(5);
    final Instant t0 = Instant.parse("2024-05-01T00:00:00Z");
    final VerdictTokens tokens = new VerdictTokens(QUARANTINE);

    @Test
    void aStandingDecisionKeepsItsTokenAndANewOneGetsAnother() {
        Map<String, Integer> first = commit(Set.of("a", "b"), t0);
        Map<String, Integer> second = commit(Set.of("a", "c"), t0.plusSeconds(1));

        assertThat(second.get("a")).isEqualTo(first.get("a"));
        assertThat(second.get("c")).isNotIn(first.values()).isBetween(1, VerdictTokens.SPACE);
        assertThat(first.values()).doesNotContain(0);
    }

    @Test
    void aFreedTokenRestsWhileEveryOtherTokenIsHandedOut() {
        int x = commit(Set.of("x"), t0).get("x");
        commit(Set.of("y"), t0.plusSeconds(1)); // x goes to rest
        Set<String> all = keys("k", VerdictTokens.SPACE - 2);
        all.add("y");

        Map<String, Integer> m = commit(all, t0.plusSeconds(2));

        assertThat(new HashSet<>(m.values())).hasSize(VerdictTokens.SPACE - 1).doesNotContain(x);
    }

    @Test
    void aRestingTokenIsSkippedUntilItsTimeThenServesAgain() {
        tokens.restore(Set.of(), Map.of(1, t0.plusSeconds(100), 2, t0.plusSeconds(100)), Set.of(), Map.of(), t0);
        Set<String> fill = keys("f", VerdictTokens.SPACE - 2);
        assertThat(commit(fill, t0.plusSeconds(1)).values()).doesNotContain(1, 2);

        fill.add("late");
        Map<String, Integer> m = commit(fill, t0.plusSeconds(101));
        assertThat(m.get("late")).as("the cursor came round to 1, which rested enough").isEqualTo(1);
    }

    @Test
    void whenOnlyRestingTokensAreLeftTheLongestRestedIsTakenEarly() {
        tokens.restore(Set.of(), Map.of(1, t0.plusSeconds(100), 2, t0.plusSeconds(50)), Set.of(), Map.of(), t0);

        Map<String, Integer> m = commit(keys("f", VerdictTokens.SPACE - 1), t0.plusSeconds(1));

        assertThat(m.values()).contains(2).doesNotContain(1);
    }

    @Test
    void moreDecisionsThanTokensAreRefused() {
        Set<String> tooMany = keys("d", VerdictTokens.SPACE + 1);
        assertThatThrownBy(() -> tokens.allocate(tooMany, Set.of(), t0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void afterARestartTheLiveTokensRestForAWholeQuarantine() {
        tokens.restore(Set.of(1, 2), Map.of(), Set.of(), Map.of(), t0);

        Map<String, Integer> m = commit(keys("k", VerdictTokens.SPACE - 2), t0.plus(QUARANTINE).minusSeconds(1));

        assertThat(m.values()).doesNotContain(1, 2);
    }

    @Test
    void theDirectionsHaveSeparateSpaces() {
        VerdictTokens.Allocation a = tokens.allocate(Set.of("same"), Set.of("same"), t0);
        assertThat(a.out().tokens().get("same")).isEqualTo(a.in().tokens().get("same")).isEqualTo(1);
    }

    private Map<String, Integer> commit(Set<String> out, Instant now) {
        VerdictTokens.Allocation a = tokens.allocate(out, Set.of(), now);
        tokens.commit(a, now);
        return a.out().tokens();
    }

    private static Set<String> keys(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).collect(Collectors.toCollection(HashSet::new));
    }
}
