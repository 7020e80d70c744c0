package io.ringfence.samples.ids.matching;

import java.util.Arrays;
import java.util.List;

/**
 * An Aho-Corasick automaton over bytes: finds every occurrence of every pattern in one pass over
 * the input, whatever the number of patterns.
 *
 * <p>Streaming: a state is a plain {@code int} that the caller keeps per stream, so a pattern split
 * across packets is found as if the packets were one buffer. The automaton is immutable and shared
 * by every stream (and thread) that matches the same pattern set.
 *
 * <p>Layout: flat arrays, states numbered breadth first. The shallowest states, where a stream
 * spends most of its bytes, have full 256-entry transition rows (a DFA: one array read per byte);
 * the deeper ones have their edges sorted by byte and failure links, which {@link #next} follows
 * until an edge exists or it reaches a state with a full row. A full DFA for every state would
 * take a kilobyte per state; this takes at most {@value #DENSE_STATES} kilobytes per automaton.
 * An automaton built {@code ignoreCase} folds ASCII letters of both the patterns and the input to
 * lower case.
 */
public final class AhoCorasick {

    /** The start state, and the state of a stream reset after a gap. */
    public static final int ROOT = 0;

    /** How many of the shallowest states get a full transition row. */
    static final int DENSE_STATES = 1024;

    /** Above this many edges a state's edges are binary-searched rather than scanned. */
    private static final int LINEAR_EDGES = 8;

    private final byte[] inputMap;   // 256: identity, or ASCII lower case when ignoring case
    private final int denseStates;   // states [0, denseStates) have a row in dense
    private final int[] dense;       // denseStates x 256: the complete transitions of those states
    private final int[] edgeStart;   // states + 1: the edges of state s are [edgeStart[s], edgeStart[s + 1])
    private final byte[] edgeByte;   // sorted within a state
    private final int[] edgeTarget;
    private final int[] fail;
    private final int[] firstMatch;  // per state: first entry of its match chain, or -1
    private final int[] matchPattern;
    private final int[] matchNext;   // next entry of the chain (own patterns, then the fail chain's), or -1
    private final int[] parent;
    private final byte[] inByte;
    private final int[] depth;
    private final int patternCount;

    private AhoCorasick(byte[] inputMap, int[] dense, int[] edgeStart, byte[] edgeByte, int[] edgeTarget,
                        int[] fail, int[] firstMatch, int[] matchPattern, int[] matchNext, int[] parent,
                        byte[] inByte, int[] depth, int patternCount) {
        this.inputMap = inputMap;
        this.denseStates = dense.length >> 8;
        this.dense = dense;
        this.edgeStart = edgeStart;
        this.edgeByte = edgeByte;
        this.edgeTarget = edgeTarget;
        this.fail = fail;
        this.firstMatch = firstMatch;
        this.matchPattern = matchPattern;
        this.matchNext = matchNext;
        this.parent = parent;
        this.inByte = inByte;
        this.depth = depth;
        this.patternCount = patternCount;
    }

    /**
     * Builds the automaton of {@code patterns}; a match reports the pattern's index in the list.
     * Identical patterns are allowed and each is reported.
     *
     * @throws IllegalArgumentException if a pattern is empty
     */
    public static AhoCorasick build(List<byte[]> patterns, boolean ignoreCase) {
        return new Builder(patterns, ignoreCase).build();
    }

    /** The number of patterns. */
    public int patternCount() {
        return patternCount;
    }

    /** The number of states (the trie's nodes, root included). */
    public int stateCount() {
        return fail.length;
    }

    /** The state after reading byte {@code b} (its low 8 bits) in {@code state}. */
    public int next(int state, int b) {
        int c = inputMap[b & 0xFF] & 0xFF;
        int s = state;
        // failure links lead to shallower states, so to a full row at the latest at the root
        while (s >= denseStates) {
            int t = child(s, c);
            if (t >= 0) {
                return t;
            }
            s = fail[s];
        }
        return dense[s << 8 | c];
    }

    /** The state after reading all of {@code bytes} from {@code state}, ignoring matches. */
    public int advance(int state, byte[] bytes) {
        int s = state;
        for (byte b : bytes) {
            s = next(s, b);
        }
        return s;
    }

    /**
     * The first match ending in {@code state}, or -1; iterate with {@link #nextMatch} and read each
     * with {@link #pattern}. Allocation-free, since it runs for every byte that completes a pattern.
     */
    public int firstMatch(int state) {
        return firstMatch[state];
    }

    /** The match after {@code match} in the same state, or -1. */
    public int nextMatch(int match) {
        return matchNext[match];
    }

    /** The index of the pattern of {@code match}. */
    public int pattern(int match) {
        return matchPattern[match];
    }

    /**
     * The bytes that lead from the root to {@code state}: the longest suffix of the input read so
     * far that is a prefix of a pattern (case-folded when ignoring case). Reading them from
     * {@link #ROOT} gives back {@code state}, in this automaton or in the same one rebuilt; in an
     * automaton of other patterns it gives the state those bytes lead to, which is how a stream's
     * position survives a change of pattern set.
     */
    public byte[] label(int state) {
        byte[] label = new byte[depth[state]];
        for (int s = state, i = label.length - 1; s != ROOT; s = parent[s], i--) {
            label[i] = inByte[s];
        }
        return label;
    }

    private int child(int s, int c) {
        int lo = edgeStart[s];
        int hi = edgeStart[s + 1];
        if (hi - lo <= LINEAR_EDGES) {
            for (int e = lo; e < hi; e++) {
                int b = edgeByte[e] & 0xFF;
                if (b >= c) {
                    return b == c ? edgeTarget[e] : -1;
                }
            }
            return -1;
        }
        hi--;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int b = edgeByte[mid] & 0xFF;
            if (b < c) {
                lo = mid + 1;
            } else if (b > c) {
                hi = mid - 1;
            } else {
                return edgeTarget[mid];
            }
        }
        return -1;
    }

    /**
     * Builds the trie with child/sibling lists, computes failure links breadth first, then flattens
     * it renumbered in breadth-first order.
     */
    private static final class Builder {
        private final List<byte[]> patterns;
        private final byte[] inputMap = new byte[256];
        private final int[] rootNext = new int[256];
        private final int[] firstChild;
        private final int[] sibling;
        private final int[] parent;
        private final byte[] inByte;
        private final int[] depth;
        private final int[] patternHead;   // per state: first pattern ending there, or -1
        private final int[] patternLink;   // per pattern: next pattern ending in the same state, or -1
        private int states = 1;

        Builder(List<byte[]> patterns, boolean ignoreCase) {
            this.patterns = patterns;
            for (int b = 0; b < 256; b++) {
                inputMap[b] = (byte) (ignoreCase && b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
            }
            int capacity = 1;
            for (byte[] p : patterns) {
                if (p.length == 0) {
                    throw new IllegalArgumentException("a pattern cannot be empty");
                }
                capacity += p.length;
            }
            firstChild = filled(capacity, -1);
            sibling = filled(capacity, -1);
            parent = new int[capacity];
            inByte = new byte[capacity];
            depth = new int[capacity];
            patternHead = filled(capacity, -1);
            patternLink = filled(patterns.size(), -1);
        }

        AhoCorasick build() {
            for (int p = 0; p < patterns.size(); p++) {
                int s = ROOT;
                for (byte raw : patterns.get(p)) {
                    s = childOrNew(s, inputMap[raw & 0xFF] & 0xFF);
                }
                patternLink[p] = patternHead[s];
                patternHead[s] = p;
            }
            int[] order = breadthFirst();
            int[] fail = new int[states];
            int[] firstMatch = filled(states, -1);
            int[] matchPattern = new int[patterns.size()];
            int[] matchNext = new int[patterns.size()];
            int matches = 0;
            for (int s : order) {
                if (depth[s] > 1) {
                    fail[s] = step(fail[parent[s]], inByte[s] & 0xFF, fail);
                }
                // s's own patterns first, then those of its fail state (shallower, already done)
                int inherited = s == ROOT ? -1 : firstMatch[fail[s]];
                int first = inherited;
                int last = -1;
                for (int p = patternHead[s]; p >= 0; p = patternLink[p]) {
                    matchPattern[matches] = p;
                    if (last < 0) {
                        first = matches;
                    } else {
                        matchNext[last] = matches;
                    }
                    last = matches++;
                }
                if (last >= 0) {
                    matchNext[last] = inherited;
                }
                firstMatch[s] = first;
            }
            return flatten(order, fail, firstMatch, matchPattern, matchNext);
        }

        private int childOrNew(int s, int c) {
            int existing = childOf(s, c);
            if (existing > 0) {
                return existing;
            }
            int n = states++;
            parent[n] = s;
            inByte[n] = (byte) c;
            depth[n] = depth[s] + 1;
            if (s == ROOT) {
                rootNext[c] = n;
            } else {
                sibling[n] = firstChild[s];
                firstChild[s] = n;
            }
            return n;
        }

        /** The child of s on c, or ROOT (the root is nobody's child) when there is none. */
        private int childOf(int s, int c) {
            if (s == ROOT) {
                return rootNext[c];
            }
            for (int t = firstChild[s]; t >= 0; t = sibling[t]) {
                if ((inByte[t] & 0xFF) == c) {
                    return t;
                }
            }
            return ROOT;
        }

        /** The goto function while building: follow failure links until a child on c exists. */
        private int step(int s, int c, int[] fail) {
            while (s != ROOT) {
                int t = childOf(s, c);
                if (t != ROOT) {
                    return t;
                }
                s = fail[s];
            }
            return rootNext[c];
        }

        private int[] breadthFirst() {
            int[] order = new int[states];
            int head = 0;
            int tail = 0;
            order[tail++] = ROOT;
            while (head < tail) {
                int s = order[head++];
                if (s == ROOT) {
                    for (int c = 0; c < 256; c++) {
                        if (rootNext[c] != ROOT) {
                            order[tail++] = rootNext[c];
                        }
                    }
                } else {
                    for (int t = firstChild[s]; t >= 0; t = sibling[t]) {
                        order[tail++] = t;
                    }
                }
            }
            return order;
        }

        /** The flat automaton, states renumbered so that the i-th state met breadth first is state i. */
        private AhoCorasick flatten(int[] order, int[] failOf, int[] firstMatchOf, int[] matchPattern,
                                    int[] matchNext) {
            int[] number = new int[states];
            for (int n = 0; n < states; n++) {
                number[order[n]] = n;
            }
            int[] fail = new int[states];
            int[] firstMatch = new int[states];
            int[] parentOf = new int[states];
            byte[] byteInto = new byte[states];
            int[] depthOf = new int[states];
            int[] edgeStart = new int[states + 1];
            for (int n = 0; n < states; n++) {
                int s = order[n];
                fail[n] = number[failOf[s]];
                firstMatch[n] = firstMatchOf[s];
                parentOf[n] = number[parent[s]];
                byteInto[n] = inByte[s];
                depthOf[n] = depth[s];
                if (n > 0) {
                    edgeStart[parentOf[n] + 1]++;
                }
            }
            for (int n = 0; n < states; n++) {
                edgeStart[n + 1] += edgeStart[n];
            }
            byte[] edgeByte = new byte[states - 1];
            int[] edgeTarget = new int[states - 1];
            int[] filledEdges = new int[states];
            for (int n = 1; n < states; n++) {
                // insertion sort by byte within the parent's slice: fan-out is small
                int p = parentOf[n];
                int lo = edgeStart[p];
                int b = byteInto[n] & 0xFF;
                int i = lo + filledEdges[p]++;
                while (i > lo && (edgeByte[i - 1] & 0xFF) > b) {
                    edgeByte[i] = edgeByte[i - 1];
                    edgeTarget[i] = edgeTarget[i - 1];
                    i--;
                }
                edgeByte[i] = (byte) b;
                edgeTarget[i] = n;
            }
            // full rows: a state's row is its fail state's (shallower, so earlier, so done) with its own edges over it
            int denseStates = Math.min(states, DENSE_STATES);
            int[] dense = new int[denseStates << 8];
            for (int n = 0; n < denseStates; n++) {
                if (n > 0) {
                    System.arraycopy(dense, fail[n] << 8, dense, n << 8, 256);
                }
                for (int e = edgeStart[n]; e < edgeStart[n + 1]; e++) {
                    dense[n << 8 | edgeByte[e] & 0xFF] = edgeTarget[e];
                }
            }
            return new AhoCorasick(inputMap, dense, edgeStart, edgeByte, edgeTarget, fail, firstMatch,
                    matchPattern, matchNext, parentOf, byteInto, depthOf, patterns.size());
        }

        private static int[] filled(int n, int value) {
            int[] a = new int[n];
            Arrays.fill(a, value);
            return a;
        }
    }
}
