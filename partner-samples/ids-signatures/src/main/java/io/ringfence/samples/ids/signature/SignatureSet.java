package io.ringfence.samples.ids.signature;

import io.ringfence.samples.ids.matching.AhoCorasick;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of signatures compiled for matching: every content of every signature goes into one of two
 * Aho-Corasick automata, case-sensitive or case-folded ({@code nocase}), so that a stream is scanned
 * once per byte whatever the number of signatures. Immutable: compiled once per distinct rule set
 * and shared by all the flows that use it. Signatures are referred to by their index here
 * ({@code rule}), contents by a global index ({@code content}).
 */
public final class SignatureSet {

    private final List<Signature> signatures;
    private final Map<Integer, Integer> ruleById;
    final AhoCorasick exact;
    final AhoCorasick folded;
    final int[] exactContent;        // pattern of the exact automaton -> content
    final int[] foldedContent;       // pattern of the folded automaton -> content
    final int[] contentRule;
    final int[] contentOrdinal;      // position of the content within its rule
    final int[] contentLength;
    final int[] ruleContentCount;

    private SignatureSet(List<Signature> signatures) {
        this.signatures = List.copyOf(signatures);
        this.ruleById = new HashMap<>();
        List<byte[]> exactPatterns = new ArrayList<>();
        List<byte[]> foldedPatterns = new ArrayList<>();
        List<Integer> exactTo = new ArrayList<>();
        List<Integer> foldedTo = new ArrayList<>();
        int contents = this.signatures.stream().mapToInt(s -> s.contents().size()).sum();
        contentRule = new int[contents];
        contentOrdinal = new int[contents];
        contentLength = new int[contents];
        ruleContentCount = new int[this.signatures.size()];
        int c = 0;
        for (int rule = 0; rule < this.signatures.size(); rule++) {
            Signature s = this.signatures.get(rule);
            if (ruleById.put(s.id(), rule) != null) {
                throw new IllegalArgumentException("two signatures have the id " + s.id());
            }
            ruleContentCount[rule] = s.contents().size();
            for (int ordinal = 0; ordinal < s.contents().size(); ordinal++, c++) {
                Content content = s.contents().get(ordinal);
                contentRule[c] = rule;
                contentOrdinal[c] = ordinal;
                contentLength[c] = content.length();
                (content.nocase() ? foldedPatterns : exactPatterns).add(content.bytes());
                (content.nocase() ? foldedTo : exactTo).add(c);
            }
        }
        exact = AhoCorasick.build(exactPatterns, false);
        folded = AhoCorasick.build(foldedPatterns, true);
        exactContent = exactTo.stream().mapToInt(Integer::intValue).toArray();
        foldedContent = foldedTo.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Compiles {@code signatures}.
     *
     * @throws IllegalArgumentException if two share an id
     */
    public static SignatureSet compile(List<Signature> signatures) {
        return new SignatureSet(signatures);
    }

    /** The number of signatures. */
    public int size() {
        return signatures.size();
    }

    /** The signature at index {@code rule}. */
    public Signature signature(int rule) {
        return signatures.get(rule);
    }

    /** The index of the signature with id {@code id}, or -1. */
    public int ruleOf(int id) {
        return ruleById.getOrDefault(id, -1);
    }

    /** The signatures (by index) that inspect a flow of IANA protocol {@code protocol} to {@code destinationPort}. */
    public BitSet applicableTo(int protocol, int destinationPort) {
        BitSet rules = new BitSet(signatures.size());
        for (int rule = 0; rule < signatures.size(); rule++) {
            if (signatures.get(rule).appliesTo(protocol, destinationPort)) {
                rules.set(rule);
            }
        }
        return rules;
    }
}
