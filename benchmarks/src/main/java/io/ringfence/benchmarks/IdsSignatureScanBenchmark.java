package io.ringfence.benchmarks;

import io.ringfence.samples.ids.signature.Action;
import io.ringfence.samples.ids.signature.Content;
import io.ringfence.samples.ids.signature.PortRange;
import io.ringfence.samples.ids.signature.Signature;
import io.ringfence.samples.ids.signature.SignatureSet;
import io.ringfence.samples.ids.signature.StreamMatcher;
import io.ringfence.samples.ids.signature.Transport;
import io.ringfence.spi.inspection.Alert.Severity;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Signature matching of the sample partner IDS ({@code partner-samples/ids-signatures}): one side
 * of a TCP flow, {@value #SEGMENTS} segments of {@value #SEGMENT} bytes of lower-case text, scanned
 * by one stream matcher against {@code signatures} random 8-letter contents, half of them
 * {@code nocase} (so both automata run). The text shares the contents' alphabet, so the automata
 * leave the root often, yet matches are rare (a given 8-gram: 26^-8). One operation is the whole
 * stream; bytes per second = score x {@value #STREAM_BYTES}. A scan signature by signature would
 * cost a thousand times more for a thousand times the signatures; with Aho-Corasick the cost per
 * byte grows only with how deep the text takes the automata (past the states with full transition
 * rows, each byte may follow failure links) and how much of them the CPU caches hold.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IdsSignatureScanBenchmark {

    static final int SEGMENT = 1460;
    static final int SEGMENTS = 45;
    static final int STREAM_BYTES = SEGMENT * SEGMENTS;

    @Param({"10", "1000", "10000"})
    int signatures;

    SignatureSet set;
    BitSet applicable;
    ByteBuffer stream;

    @Setup
    public void setUp() {
        Random random = new Random(SyntheticDataCenter.SEED);
        List<Signature> list = new ArrayList<>();
        for (int id = 1; id <= signatures; id++) {
            Content content = new Content(letters(random, 8), id % 2 == 0);
            list.add(new Signature(id, "m", Action.ALERT, Transport.TCP, PortRange.ANY, List.of(content),
                    Severity.LOW, "benchmark"));
        }
        set = SignatureSet.compile(list);
        applicable = set.applicableTo(6, 80);
        stream = ByteBuffer.wrap(letters(random, STREAM_BYTES)).asReadOnlyBuffer();
    }

    @Benchmark
    public long scanStream() {
        StreamMatcher matcher = new StreamMatcher(set, (BitSet) applicable.clone());
        for (int from = 0; from < STREAM_BYTES; from += SEGMENT) {
            matcher.scan(stream, from, from + SEGMENT, rule -> true);
        }
        return matcher.offset();
    }

    private static byte[] letters(Random random, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) ('a' + random.nextInt(26));
        }
        return b;
    }
}
