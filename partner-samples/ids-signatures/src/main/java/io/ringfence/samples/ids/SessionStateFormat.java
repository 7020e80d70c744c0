package io.ringfence.samples.ids;

import io.ringfence.samples.ids.signature.Signature;
import io.ringfence.samples.ids.signature.SignatureSet;
import io.ringfence.samples.ids.signature.StreamMatcher;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.SessionState;
import io.ringfence.spi.inspection.Verdict;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The state a session hands to a newer version of the bundle on upgrade, format {@value #FORMAT}.
 *
 * <p>It names signatures by id, never by index, and stream positions by the bytes they stand for,
 * never by automaton state, so that the importer may have a different signature set (a new
 * version's built-in rules, an edited profile): a rule's progress carries over only if the rule
 * with that id still has the same contents ({@link Signature#contentsHash()}).
 *
 * <p>Layout (big-endian, {@link DataOutputStream}):
 * <pre>
 * byte   blocked verdict: 0 none, 1 DROP, 2 REJECT
 * int    n, then n x int: ids of the signatures already reported on the flow
 * twice, for the ORIGINAL then the REPLY side:
 *   byte   1 if a TCP segment of the side was seen, else 0
 *   int    next expected TCP sequence number (32 bits)
 *   long   stream offset: bytes scanned since the stream (re)started
 *   ubyte  length, then the bytes: tail of the stream the case-sensitive automaton stands on
 *   ubyte  length, then the bytes: same for the case-folded automaton
 *   int    n, then n x (int id, int contents hash, ubyte contents found, long offset of the last one's end)
 * </pre>
 * A change to this layout takes a new format name ({@code ids-stream/2}); a reader refuses formats
 * it does not know, and the framework then opens a fresh session for the flow.
 */
final class SessionStateFormat {

    static final String FORMAT = "ids-stream/1";

    private static final PacketSide[] SIDES = {PacketSide.ORIGINAL, PacketSide.REPLY};

    private SessionStateFormat() {
    }

    /** The state of {@code session}. */
    static SessionState write(IdsSession session) {
        SignatureSet set = session.signatures();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Verdict blocked = session.blocked();
            out.writeByte(blocked == null ? 0 : blocked == Verdict.DROP ? 1 : 2);
            BitSet reported = set.applicableTo(session.flow().protocol(), session.flow().destinationPort());
            reported.andNot(session.armed());
            out.writeInt(reported.cardinality());
            for (int rule = reported.nextSetBit(0); rule >= 0; rule = reported.nextSetBit(rule + 1)) {
                out.writeInt(set.signature(rule).id());
            }
            for (PacketSide s : SIDES) {
                SideStream side = session.side(s);
                StreamMatcher matcher = side.matcher;
                out.writeByte(side.synced() ? 1 : 0);
                out.writeInt((int) side.nextSequence());
                out.writeLong(matcher.offset());
                writeTail(out, matcher.exactTail());
                writeTail(out, matcher.foldedTail());
                List<Progress> progress = new ArrayList<>();
                matcher.forEachProgress((rule, found, lastEnd) -> progress.add(new Progress(rule, found, lastEnd)));
                out.writeInt(progress.size());
                for (Progress p : progress) {
                    Signature signature = set.signature(p.rule());
                    out.writeInt(signature.id());
                    out.writeInt(signature.contentsHash());
                    out.writeByte(p.found());
                    out.writeLong(p.lastEnd());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return new SessionState(FORMAT, bytes.toByteArray());
    }

    /**
     * Puts {@code state} into {@code session}, freshly opened for the same flow.
     *
     * @throws IllegalArgumentException if the format is not {@value #FORMAT} or the data is corrupt
     */
    static void read(SessionState state, IdsSession session) {
        if (!FORMAT.equals(state.format())) {
            throw new IllegalArgumentException("cannot import session state of format " + state.format()
                    + ": this version reads " + FORMAT);
        }
        SignatureSet set = session.signatures();
        byte[] data = state.data();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int blocked = in.readUnsignedByte();
            if (blocked > 2) {
                throw corrupt("unknown blocked verdict " + blocked);
            }
            session.restoreBlocked(blocked == 0 ? null : blocked == 1 ? Verdict.DROP : Verdict.REJECT);
            int reported = count(in, data.length);
            for (int i = 0; i < reported; i++) {
                int rule = set.ruleOf(in.readInt());
                if (rule >= 0) {
                    session.armed().clear(rule);
                }
            }
            for (PacketSide s : SIDES) {
                SideStream side = session.side(s);
                StreamMatcher matcher = side.matcher;
                int synced = in.readUnsignedByte();
                if (synced > 1) {
                    throw corrupt("bad synced flag " + synced);
                }
                side.restore(synced == 1, in.readInt() & 0xFFFF_FFFFL);
                long offset = in.readLong();
                if (offset < 0) {
                    throw corrupt("negative stream offset");
                }
                byte[] exactTail = new byte[in.readUnsignedByte()];
                in.readFully(exactTail);
                byte[] foldedTail = new byte[in.readUnsignedByte()];
                in.readFully(foldedTail);
                matcher.restore(offset, exactTail, foldedTail);
                int entries = count(in, data.length);
                for (int i = 0; i < entries; i++) {
                    int rule = set.ruleOf(in.readInt());
                    int hash = in.readInt();
                    int found = in.readUnsignedByte();
                    long lastEnd = in.readLong();
                    if (rule >= 0 && session.armed().get(rule) && set.signature(rule).contentsHash() == hash) {
                        matcher.restoreProgress(rule, found, lastEnd);
                    }
                }
            }
            if (in.read() != -1) {
                throw corrupt("bytes after the end");
            }
        } catch (IOException e) {
            throw corrupt("truncated");
        }
    }

    private record Progress(int rule, int found, long lastEnd) {
    }

    private static void writeTail(DataOutputStream out, byte[] tail) throws IOException {
        // a tail is a prefix of a content, so at most Content.MAX_LENGTH (255) bytes
        out.writeByte(tail.length);
        out.write(tail);
    }

    private static int count(DataInputStream in, int limit) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > limit) {
            throw corrupt("bad count " + n);
        }
        return n;
    }

    private static IllegalArgumentException corrupt(String detail) {
        return new IllegalArgumentException("corrupt " + FORMAT + " session state: " + detail);
    }
}
