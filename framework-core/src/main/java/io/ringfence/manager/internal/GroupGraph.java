package io.ringfence.manager.internal;

import io.ringfence.manager.ModelSnapshot;
import io.ringfence.model.Group;
import io.ringfence.model.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The graph of groups formed by nesting and exclusion, which must stay acyclic. */
final class GroupGraph {
    private GroupGraph() {
    }

    /**
     * A cycle through {@code changed} in {@code model} (which already contains the change), as the
     * list of group ids from {@code changed} back to it, or null. The model before the change was
     * acyclic, so any new cycle passes through the changed group.
     */
    static List<String> findCycle(ModelSnapshot model, Group changed) {
        Deque<String> path = new ArrayDeque<>();
        path.add(changed.id());
        return dfs(model, changed, changed.id(), path, new HashSet<>());
    }

    private static List<String> dfs(ModelSnapshot model, Group g, String target, Deque<String> path, Set<String> done) {
        for (String next : successors(g)) {
            if (next.equals(target)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(target);
                return cycle;
            }
            if (done.add(next)) {
                Group n = model.find(Kind.GROUP, next).orElse(null);
                if (n != null) {
                    path.addLast(next);
                    List<String> found = dfs(model, n, target, path, done);
                    if (found != null) {
                        return found;
                    }
                    path.removeLast();
                }
            }
        }
        return null;
    }

    private static List<String> successors(Group g) {
        List<String> s = new ArrayList<>(g.groups());
        s.addAll(g.excludedGroups());
        return s;
    }
}
