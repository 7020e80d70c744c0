package io.ringfence.enforcement.internal;

import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.enforcement.Realization;
import io.ringfence.enforcement.RealizationState;
import io.ringfence.enforcement.VnicRealization;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Realization seen from a policy, a rule or a VM: its vNICs, each looked up on every target that
 * covers the vNIC's host, summed up with one line for admins.
 */
final class RealizationReport {

    private static final Comparator<VnicRealization> WORST_FIRST = Comparator
            .comparing((VnicRealization v) -> v.state() != RealizationState.FAILED)
            .thenComparing(VnicRealization::pendingSince, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(VnicRealization::vnicId)
            .thenComparing(VnicRealization::targetId);

    private RealizationReport() {
    }

    /** The not-realized vNICs of one host in one state. */
    private static final class Stuck {
        int vnics;
        Instant since;
        final TreeSet<String> reasons = new TreeSet<>();
    }

    /**
     * @param ruleSets    the vNICs, as compiled
     * @param feedsOfHost the feeds of the targets that cover a host
     */
    static Realization over(List<VnicRuleSet> ruleSets, Function<String, List<TargetFeed>> feedsOfHost) {
        int realized = 0;
        int unenforced = 0;
        List<VnicRealization> notRealized = new ArrayList<>();
        // key: state then host, so that the line names failures first
        Map<String, Stuck> stuck = new TreeMap<>();
        for (VnicRuleSet set : ruleSets) {
            List<VnicRealization> onTargets = new ArrayList<>();
            for (TargetFeed feed : feedsOfHost.apply(set.hostId())) {
                VnicRealization v = feed.vnic(set.vnicId());
                if (v != null) {
                    onTargets.add(v);
                }
            }
            if (onTargets.isEmpty()) {
                unenforced++;
                continue;
            }
            List<VnicRealization> behind = onTargets.stream()
                    .filter(v -> v.state() != RealizationState.REALIZED).sorted(WORST_FIRST).toList();
            if (behind.isEmpty()) {
                realized++;
                continue;
            }
            notRealized.addAll(behind);
            VnicRealization worst = behind.get(0);
            Stuck s = stuck.computeIfAbsent((worst.state() == RealizationState.FAILED ? "0 " : "1 ") + set.hostId(),
                    k -> new Stuck());
            s.vnics++;
            for (VnicRealization v : behind) {
                s.since = earliest(s.since, v.pendingSince());
                if (v.state() == RealizationState.FAILED && v.lastError() != null) {
                    s.reasons.add(v.lastError().code());
                }
            }
        }
        notRealized.sort(WORST_FIRST);
        int failed = (int) stuck.entrySet().stream().filter(e -> e.getKey().startsWith("0 "))
                .mapToInt(e -> e.getValue().vnics).sum();
        int pending = ruleSets.size() - unenforced - realized - failed;
        return new Realization(ruleSets.size(), realized, pending, failed, unenforced, notRealized,
                summary(ruleSets.size(), realized, unenforced, stuck));
    }

    private static String summary(int vnics, int realized, int unenforced, Map<String, Stuck> stuck) {
        if (vnics == 0) {
            return "lands on no vNIC";
        }
        StringBuilder b = new StringBuilder();
        b.append("realized on ").append(realized).append(" of ").append(vnics).append(vnics == 1 ? " vNIC" : " vNICs");
        stuck.forEach((key, s) -> {
            b.append("; ").append(s.vnics).append(key.startsWith("0 ") ? " failed" : " pending").append(" on host ")
                    .append(key.substring(2));
            if (s.since != null) {
                b.append(" since ").append(s.since.truncatedTo(ChronoUnit.SECONDS));
            }
            if (!s.reasons.isEmpty()) {
                b.append(" (").append(String.join(", ", s.reasons)).append(')');
            }
        });
        if (unenforced > 0) {
            b.append("; ").append(unenforced).append(" enforced by no target");
        }
        return b.toString();
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null || b == null) {
            return Objects.requireNonNullElse(a, b);
        }
        return a.isBefore(b) ? a : b;
    }
}
