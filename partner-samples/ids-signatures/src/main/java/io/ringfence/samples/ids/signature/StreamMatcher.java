package io.ringfence.samples.ids.signature;

import io.ringfence.samples.ids.matching.AhoCorasick;
import java.nio.ByteBuffer;
import java.util.BitSet;

/**
 * Matches a signature set against one byte stream (one side of a TCP flow, or one datagram),
 * fed in pieces: the automata's states, the stream offset and each rule's progress through its
 * contents carry from one piece to the next.
 *
 * <p>A rule's contents must occur in order, each starting after the previous one ended. The matcher
 * takes for each content the earliest-ending occurrence after the previous one, which finds the
 * rule whenever such a sequence exists. Single-content rules, the common case, need no progress;
 * the progress arrays are allocated on the first partial match of a multi-content rule.
 *
 * <p>Not thread-safe: one matcher per stream, used by one thread at a time.
 */
public final class StreamMatcher {

    /** Told of each rule whose contents all matched; answers whether scanning should go on. */
    @FunctionalInterface
    public interface Listener {
        boolean matched(int rule);
    }

    /** Receives the partial progress of one rule. */
    @FunctionalInterface
    public interface ProgressConsumer {
        void accept(int rule, int contentsFound, long lastEnd);
    }

    private final SignatureSet set;
    private final BitSet armed;
    private int exactState = AhoCorasick.ROOT;
    private int foldedState = AhoCorasick.ROOT;
    private long offset;
    private byte[] found;
    private long[] lastEnd;

    /**
     * @param set   the signatures
     * @param armed the rules still looked for, shared by the matchers of a flow's two sides: a rule
     *              found on either side is cleared here and not reported again
     */
    public StreamMatcher(SignatureSet set, BitSet armed) {
        this.set = set;
        this.armed = armed;
    }

    /**
     * Scans {@code data} from index {@code from} (inclusive) to {@code to} (exclusive) as the next
     * bytes of the stream, by absolute index (the buffer's position is left alone).
     *
     * @return false if the listener stopped the scan (the rest of the bytes are not scanned)
     */
    public boolean scan(ByteBuffer data, int from, int to, Listener listener) {
        AhoCorasick exact = set.exact;
        AhoCorasick folded = set.folded;
        boolean anyExact = exact.patternCount() > 0;
        boolean anyFolded = folded.patternCount() > 0;
        for (int i = from; i < to; i++, offset++) {
            byte b = data.get(i);
            if (anyExact) {
                exactState = exact.next(exactState, b);
            }
            if (anyFolded) {
                foldedState = folded.next(foldedState, b);
            }
            if (anyExact) {
                for (int m = exact.firstMatch(exactState); m >= 0; m = exact.nextMatch(m)) {
                    if (!found(set.exactContent[exact.pattern(m)], listener)) {
                        offset++;
                        return false;
                    }
                }
            }
            if (anyFolded) {
                for (int m = folded.firstMatch(foldedState); m >= 0; m = folded.nextMatch(m)) {
                    if (!found(set.foldedContent[folded.pattern(m)], listener)) {
                        offset++;
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Forgets the stream: the next byte scanned starts a new one (after a gap, or for the next datagram). */
    public void reset() {
        exactState = AhoCorasick.ROOT;
        foldedState = AhoCorasick.ROOT;
        offset = 0;
        found = null;
        lastEnd = null;
    }

    /** Bytes scanned since the last reset. */
    public long offset() {
        return offset;
    }

    /** The stream's tail that the case-sensitive automaton's state stands for (see {@link AhoCorasick#label}). */
    public byte[] exactTail() {
        return set.exact.label(exactState);
    }

    /** The (case-folded) stream's tail that the case-folded automaton's state stands for. */
    public byte[] foldedTail() {
        return set.folded.label(foldedState);
    }

    /** Gives every armed rule that has found some but not all of its contents. */
    public void forEachProgress(ProgressConsumer consumer) {
        if (found == null) {
            return;
        }
        for (int rule = armed.nextSetBit(0); rule >= 0; rule = armed.nextSetBit(rule + 1)) {
            if (found[rule] > 0 && found[rule] < set.ruleContentCount[rule]) {
                consumer.accept(rule, found[rule], lastEnd[rule]);
            }
        }
    }

    /**
     * Puts the matcher where another matcher (perhaps of another signature set) left its stream:
     * re-reading the tails it exported gives back its automata's states. The case-folded automaton
     * re-reads the longer tail, since a content that was case-sensitive in the exporter may be
     * {@code nocase} here.
     */
    public void restore(long streamOffset, byte[] exactTail, byte[] foldedTail) {
        reset();
        offset = streamOffset;
        exactState = set.exact.advance(AhoCorasick.ROOT, exactTail);
        foldedState = set.folded.advance(AhoCorasick.ROOT, exactTail.length >= foldedTail.length ? exactTail : foldedTail);
    }

    /**
     * Restores a rule's progress: it has found its first {@code contentsFound} contents, the last one
     * ending at stream offset {@code end}.
     *
     * @throws IllegalArgumentException if the rule has no more contents than that
     */
    public void restoreProgress(int rule, int contentsFound, long end) {
        if (contentsFound < 1 || contentsFound >= set.ruleContentCount[rule] || end >= offset) {
            throw new IllegalArgumentException("no such progress for signature " + set.signature(rule).id());
        }
        ensureProgress();
        found[rule] = (byte) contentsFound;
        lastEnd[rule] = end;
    }

    /** Content {@code c} ends at the current offset. */
    private boolean found(int c, Listener listener) {
        int rule = set.contentRule[c];
        if (!armed.get(rule)) {
            return true;
        }
        int count = set.ruleContentCount[rule];
        if (count > 1) {
            int ordinal = set.contentOrdinal[c];
            if (found == null) {
                if (ordinal != 0) {
                    return true;
                }
                ensureProgress();
            }
            // the next content of the rule, starting after the previous one's end
            if (found[rule] != ordinal || ordinal > 0 && offset - set.contentLength[c] < lastEnd[rule]) {
                return true;
            }
            lastEnd[rule] = offset;
            if (++found[rule] < count) {
                return true;
            }
        }
        armed.clear(rule);
        return listener.matched(rule);
    }

    private void ensureProgress() {
        if (found == null) {
            found = new byte[set.size()];
            lastEnd = new long[set.size()];
        }
    }
}
