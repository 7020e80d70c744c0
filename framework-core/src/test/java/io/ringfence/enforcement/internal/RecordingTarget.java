package io.ringfence.enforcement.internal;

import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetDescriptor;
import io.ringfence.spi.enforcement.TargetRuleSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A target that records the updates it gets and answers when the test says so; it also keeps the
 * state the updates describe, applied like a real target would, to compare with the compiler's.
 */
final class RecordingTarget implements EnforcementTarget {

    private final TargetDescriptor descriptor;
    final List<RuleSetUpdate> updates = new ArrayList<>();
    final List<CompletableFuture<Acknowledgement>> answers = new ArrayList<>();
    /** What the updates applied so far describe. */
    final Map<String, TargetRuleSet> ruleSets = new HashMap<>();
    final Map<String, List<String>> groups = new HashMap<>();

    RecordingTarget(TargetDescriptor descriptor) {
        this.descriptor = descriptor;
    }

    @Override
    public TargetDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public CompletionStage<Acknowledgement> apply(RuleSetUpdate update) {
        updates.add(update);
        CompletableFuture<Acknowledgement> answer = new CompletableFuture<>();
        answers.add(answer);
        return answer;
    }

    RuleSetUpdate last() {
        return updates.get(updates.size() - 1);
    }

    /** Applies the last update and acknowledges it with the generations it carries. */
    void acknowledgeLast() {
        RuleSetUpdate u = last();
        if (u.full()) {
            ruleSets.clear();
            groups.clear();
        }
        u.removedVnics().forEach(ruleSets::remove);
        u.releasedGroups().forEach(groups::remove);
        u.ruleSets().forEach(s -> ruleSets.put(s.vnicId(), s));
        u.addressGroups().forEach(g -> groups.put(g.id(), g.prefixes()));
        Map<String, Long> realized = new HashMap<>();
        u.ruleSets().forEach(s -> realized.put(s.vnicId(), s.generation()));
        answers.get(answers.size() - 1).complete(Acknowledgement.applied(u.sequence(), realized));
    }

    void fail(Acknowledgement.TargetError error) {
        answers.get(answers.size() - 1).complete(Acknowledgement.failed(last().sequence(), error));
    }
}
