package io.ringfence.benchmarks;

import io.ringfence.insertion.ChainHop;
import io.ringfence.insertion.ChainSession;
import io.ringfence.insertion.ChainSpec;
import io.ringfence.insertion.ChainStats;
import io.ringfence.insertion.FailurePolicy;
import io.ringfence.insertion.internal.FunctionRegistry;
import io.ringfence.insertion.internal.InsertionConfig;
import io.ringfence.insertion.internal.ServiceInsertionManager;
import io.ringfence.samples.appid.AppIdService;
import io.ringfence.samples.ids.IdsInspectionService;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectedPacket;
import io.ringfence.spi.inspection.InspectionService;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.Verdict;
import io.ringfence.spi.inspection.VnicDirection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Throughput through the two partner samples, {@code l7-appid} and {@code ids-signatures}, alone and
 * chained as the demo chains them ({@code l7-appid} then {@code ids-signatures}), with the real sample
 * classes run by the framework's insertion runtime (a {@link FunctionRegistry}, a
 * {@link ServiceInsertionManager}, a {@link ChainSpec}), on TCP flows that open as real ones do: a
 * handshake, then a TLS ClientHello (with SNI) or an HTTP request, then payload packets of
 * {@code payloadBytes} (TLS application-data records of random bytes, or HTTP text) in both directions.
 *
 * <p>The benchmark plays the data plane's part: every packet of a flow goes through the chain until the
 * chain answers PASS_AND_BYPASS, after which the flow is no longer steered (its session closed, its
 * packets pass without a call). {@code l7-appid} allows an identified flow with PASS_AND_BYPASS, so it
 * sees a flow's first packets only; {@code ids-signatures} keeps inspecting while a signature is left to
 * find, so it sees every packet.
 * <ul>
 * <li>{@code established}: packets of {@value #FLOWS} established flows, round robin, the two sides in
 *     turn: packets per second (bytes per second = packets x {@code payloadBytes});</li>
 * <li>{@code establishedDirect}: the same, the sample sessions called on the benchmark thread (no
 *     runtime, no deadline): what the samples' own work costs, without the hand-off to their threads;</li>
 * <li>{@code newFlow}: one flow from its first packet to its end: session opened, SYN, SYN+ACK, ACK, the
 *     opening request, the server's first payload packet ({@code payloadBytes}), session closed (five
 *     packets, fewer once the chain bypasses the flow): flows per second.</li>
 * </ul>
 * The runtime hands each call to a function's own threads, so a packet costs CPU on more threads than
 * the benchmark's. Each measured iteration divides its work by the process's CPU time (the benchmark
 * thread, the functions' threads, the JIT and the collector) and by the benchmark thread's own: the
 * rates per core, whatever else the machine ran meanwhile (section {@code sampleChain.<method>.<chain>.<opening>.<payloadBytes>}
 * of the {@link ExtraResults}, with the chain's counters). A flow that a sample blocks, or a call that
 * misses its deadline, fails the trial: the figures are of inspected and passed traffic only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class SampleChainBenchmark {

    /** Established flows the packets of {@code established} go round. */
    static final int FLOWS = 64;
    static final long SEED = 20_261_126L;
    private static final String HOST = "api.shop.example";
    private static final int ACK = 0x10;
    private static final int PSH_ACK = 0x18;

    /** The chains measured, by the definitions of their hops in order. */
    public enum Chain {
        L7_APPID("ringfence-samples/l7-appid"),
        IDS_SIGNATURES("ringfence-samples/ids-signatures"),
        L7_APPID_THEN_IDS_SIGNATURES("ringfence-samples/l7-appid", "ringfence-samples/ids-signatures");

        final List<String> definitions;

        Chain(String... definitions) {
            this.definitions = List.of(definitions);
        }
    }

    /** How a flow opens. */
    public enum Opening {
        /** A TLS 1.3 ClientHello naming the server; application-data records follow. */
        TLS,
        /** An HTTP/1.1 request with its Host header; HTTP text follows. */
        HTTP
    }

    @Param
    Chain chain;

    @Param
    Opening opening;

    @Param({"64", "512", "1400"})
    int payloadBytes;

    FunctionRegistry registry;
    ServiceInsertionManager insertion;
    ChainSpec spec;
    /** The profiles, by definition: the demo's, with TLS allowed too. */
    Map<String, Profile> profiles;
    Map<String, InspectionService> services;
    byte[] request;
    /** Payloads of {@code payloadBytes}, one per side, read-only views handed out for every packet. */
    ByteBuffer clientPayload;
    ByteBuffer serverPayload;
    Flow[] flows;
    int next;
    long flowIds;
    final Map<Verdict, Long> verdicts = new EnumMap<>(Verdict.class);

    long packets;
    long flowsDone;
    long processCpuAtStart;
    long threadCpuAtStart;
    boolean measuring;
    final List<double[]> rates = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        services = new LinkedHashMap<>();
        services.put("ringfence-samples/l7-appid", new AppIdService());
        services.put("ringfence-samples/ids-signatures", new IdsInspectionService("0.1.0", IdsInspectionService.builtInRules()));
        profiles = Map.of(
                "ringfence-samples/l7-appid", new Profile("api-apps", "HTTP and TLS to the API tier",
                        Map.of("allowApps", List.of("http", "tls"), "defaultAction", "deny")),
                "ringfence-samples/ids-signatures", new Profile("shop-ids", "Shop IDS, prevent", Map.of("mode", "prevent")));
        registry = new FunctionRegistry(InsertionConfig.DEFAULTS);
        insertion = new ServiceInsertionManager(registry);
        long serviceId = 1;
        for (InspectionService s : services.values()) {
            if (!registry.add(s, serviceId++, 0)) {
                throw new IllegalStateException("the registry refused " + s.descriptor().definitionId());
            }
        }
        List<ChainHop> hops = chain.definitions.stream()
                .map(d -> new ChainHop(profiles.get(d).id(), d, profiles.get(d))).toList();
        // a deadline no scheduling hiccup reaches: the figures are of inspection, not of the failure policy
        spec = ChainSpec.symmetric("bench", hops, FailurePolicy.BLOCK, Duration.ofSeconds(10));

        Random random = new Random(SEED);
        request = opening == Opening.TLS ? Payloads.clientHello(HOST, random) : Payloads.httpRequest(HOST);
        clientPayload = payload(random);
        serverPayload = payload(random);
        // l7-appid must identify the opening and allow the flow (PASS_AND_BYPASS); the IDS keeps inspecting
        Flow check = new RuntimeFlow(context());
        Verdict opened = check.start();
        check.end();
        Verdict expected = chain == Chain.L7_APPID ? Verdict.PASS_AND_BYPASS : Verdict.PASS;
        if (opened != expected) {
            throw new IllegalStateException(chain + " answered " + opened + " to the " + opening + " opening, not " + expected);
        }
        verdicts.clear();
        if (!params.getBenchmark().endsWith(".newFlow")) {
            boolean direct = params.getBenchmark().endsWith(".establishedDirect");
            flows = new Flow[FLOWS];
            for (int i = 0; i < FLOWS; i++) {
                flows[i] = direct ? new DirectFlow(context()) : new RuntimeFlow(context());
                flows[i].start();
            }
        }
    }

    private ByteBuffer payload(Random random) {
        byte[] bytes = opening == Opening.TLS ? Payloads.tlsRecord(payloadBytes, random) : Payloads.httpText(payloadBytes, random);
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    private FlowContext context() {
        long id = ++flowIds;
        try {
            return new FlowContext(id, "web-01-nic0", VnicDirection.OUT, "vm-web-01", "web-01",
                    List.of("app:web", "env:prod"), FlowContext.TCP, InetAddress.getByAddress(new byte[] {10, 0, 1, 11}),
                    32_768 + (int) (id % 28_000), InetAddress.getByAddress(new byte[] {10, 0, 2, 21}),
                    opening == Opening.TLS ? 443 : 8080);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
        packets = 0;
        flowsDone = 0;
        processCpuAtStart = CpuClock.process();
        threadCpuAtStart = CpuClock.now();
    }

    /** One packet of an established flow, through the runtime. */
    @Benchmark
    public Verdict established() {
        return nextFlow().data();
    }

    /** One packet of an established flow, the samples called directly. */
    @Benchmark
    public Verdict establishedDirect() {
        return nextFlow().data();
    }

    private Flow nextFlow() {
        Flow f = flows[next];
        next = next + 1 == FLOWS ? 0 : next + 1;
        return f;
    }

    /** One whole short flow through the runtime: open, handshake, request, first answer, close. */
    @Benchmark
    public Verdict newFlow() {
        Flow f = new RuntimeFlow(context());
        Verdict opened = f.start();
        f.end();
        flowsDone++;
        return opened;
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        double process = (CpuClock.process() - processCpuAtStart) / 1e9;
        double thread = (CpuClock.now() - threadCpuAtStart) / 1e9;
        if (measuring && process > 0 && thread > 0) {
            rates.add(new double[] {packets / process, packets / thread, flowsDone / process, flowsDone / thread});
        }
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        if (flows != null) {
            for (Flow f : flows) {
                f.end();
            }
        }
        ChainStats stats = insertion.chainStats("bench").orElse(null);
        registry.close();
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        CpuRates figures = new CpuRates(mean(0), mean(1), mean(0) * payloadBytes, mean(2), mean(3), rates.size(),
                new LinkedHashMap<>(verdicts), stats == null ? 0 : stats.packets(),
                stats == null ? Map.of() : Map.copyOf(stats.failures()),
                stats == null ? -1 : stats.latency().p50Nanos(), stats == null ? -1 : stats.latency().p99Nanos());
        ExtraResults.record("sampleChain." + method + "." + chain + "." + opening + "." + payloadBytes, figures);
        System.out.printf("%n%s %s %s %d B: %.0f packets and %.0f flows per CPU second of the process"
                        + " (%.0f packets per CPU second of the benchmark thread); verdicts %s%n",
                method, chain, opening, payloadBytes, figures.packetsPerProcessCpuSecond(),
                figures.flowsPerProcessCpuSecond(), figures.packetsPerThreadCpuSecond(), verdicts);
        if (stats != null && !stats.failures().isEmpty()) {
            throw new IllegalStateException("calls failed: " + stats.failures() + "; the figures are not of inspection");
        }
    }

    private double mean(int column) {
        return rates.stream().mapToDouble(r -> r[column]).average().orElse(Double.NaN);
    }

    private void count(Verdict v) {
        if (v == Verdict.DROP || v == Verdict.REJECT) {
            throw new IllegalStateException("a sample blocked a benchmark flow (" + v + ", " + chain + ", " + opening
                    + "): the figures would not be of passed traffic");
        }
        verdicts.merge(v, 1L, Long::sum);
    }

    /**
     * Per core, over the measured iterations (means of the iterations' rates).
     *
     * @param packetsPerProcessCpuSecond packets per CPU second of the whole process (all threads)
     * @param packetsPerThreadCpuSecond  packets per CPU second of the benchmark thread alone
     * @param bytesPerProcessCpuSecond   payload bytes per CPU second of the process
     * @param flowsPerProcessCpuSecond   whole flows ({@code newFlow}) per CPU second of the process
     * @param flowsPerThreadCpuSecond    whole flows per CPU second of the benchmark thread
     * @param iterations                 measured iterations
     * @param verdicts                   the verdicts the chain gave (packets not steered any more count as PASS_AND_BYPASS)
     * @param chainPackets               packets the runtime decided
     * @param failures                   calls failed, by outcome (none, or the trial fails)
     * @param chainP50Nanos              the chain's latency per packet, median (hand-offs included)
     * @param chainP99Nanos              and its 99th percentile
     */
    public record CpuRates(double packetsPerProcessCpuSecond, double packetsPerThreadCpuSecond,
                           double bytesPerProcessCpuSecond, double flowsPerProcessCpuSecond, double flowsPerThreadCpuSecond,
                           int iterations, Map<Verdict, Long> verdicts, long chainPackets, Map<?, Long> failures,
                           long chainP50Nanos, long chainP99Nanos) {
    }

    /**
     * One TCP flow, sequence numbers and all, steered as the data plane steers it: through the chain
     * until the chain bypasses it.
     */
    abstract class Flow {
        private long clientSequence = 1_000_000L;
        private long serverSequence = 3_000_000_000L;
        private boolean clientTurn = true;
        private boolean bypassed;

        /** Decides one packet: the chain's verdict. */
        abstract Verdict decide(InspectedPacket packet);

        /** The data plane closes the session (the flow ended, or the chain bypassed it). */
        abstract void close();

        /**
         * The flow's first packets: the handshake, the opening request, the server's first answer.
         *
         * @return the verdict on the opening request
         */
        Verdict start() {
            steer(PacketSide.ORIGINAL, InspectedPacket.SYN, clientSequence++, null);
            steer(PacketSide.REPLY, InspectedPacket.SYN | ACK, serverSequence++, null);
            steer(PacketSide.ORIGINAL, ACK, clientSequence, null);
            Verdict opened = steer(PacketSide.ORIGINAL, PSH_ACK, clientSequence, ByteBuffer.wrap(request).asReadOnlyBuffer());
            clientSequence += request.length;
            steer(PacketSide.REPLY, PSH_ACK, serverSequence, serverPayload.duplicate());
            serverSequence += payloadBytes;
            return opened;
        }

        /** The next payload packet, the two sides in turn. */
        Verdict data() {
            Verdict v;
            if (clientTurn) {
                v = steer(PacketSide.ORIGINAL, PSH_ACK, clientSequence, clientPayload.duplicate());
                clientSequence += payloadBytes;
            } else {
                v = steer(PacketSide.REPLY, PSH_ACK, serverSequence, serverPayload.duplicate());
                serverSequence += payloadBytes;
            }
            clientTurn = !clientTurn;
            return v;
        }

        void end() {
            if (!bypassed) {
                close();
            }
        }

        private Verdict steer(PacketSide side, int flags, long sequence, ByteBuffer payload) {
            packets++;
            if (bypassed) {
                count(Verdict.PASS_AND_BYPASS);
                return Verdict.PASS_AND_BYPASS;
            }
            int length = 40 + (payload == null ? 0 : payload.remaining());
            Verdict v = decide(new InspectedPacket(side, flags, sequence & 0xFFFF_FFFFL, length,
                    payload == null ? ByteBuffer.allocate(0).asReadOnlyBuffer() : payload));
            count(v);
            if (v == Verdict.PASS_AND_BYPASS) {
                bypassed = true;
                close();
            }
            return v;
        }
    }

    /** A flow steered by the runtime. */
    final class RuntimeFlow extends Flow {
        private final ChainSession session;

        RuntimeFlow(FlowContext context) {
            session = insertion.open(spec, context);
        }

        @Override
        Verdict decide(InspectedPacket packet) {
            return session.process(packet).verdict();
        }

        @Override
        void close() {
            session.close();
        }
    }

    /**
     * A flow whose sample sessions are called on the benchmark thread, in the chain's order (reversed
     * for replies); a session that answers PASS_AND_BYPASS is left out from then on, as the runtime does.
     */
    final class DirectFlow extends Flow {
        private final InspectionSession[] sessions;
        private final boolean[] done;

        DirectFlow(FlowContext context) {
            sessions = chain.definitions.stream()
                    .map(d -> services.get(d).open(context, profiles.get(d), alert -> { }))
                    .toArray(InspectionSession[]::new);
            done = new boolean[sessions.length];
        }

        @Override
        Verdict decide(InspectedPacket packet) {
            boolean reply = packet.side() == PacketSide.REPLY;
            boolean allDone = true;
            for (int k = 0; k < sessions.length; k++) {
                int i = reply ? sessions.length - 1 - k : k;
                if (done[i]) {
                    continue;
                }
                // each function reads a view of its own, as the runtime hands it over
                Verdict v = sessions[i].inspect(new InspectedPacket(packet.side(), packet.tcpFlags(),
                        packet.tcpSequence(), packet.length(), packet.payload().duplicate()));
                if (v == Verdict.DROP || v == Verdict.REJECT) {
                    return v;
                }
                done[i] = v == Verdict.PASS_AND_BYPASS;
                allDone &= done[i];
            }
            return allDone ? Verdict.PASS_AND_BYPASS : Verdict.PASS;
        }

        @Override
        void close() {
            for (InspectionSession s : sessions) {
                s.close();
            }
        }
    }

    /** What the flows carry. */
    static final class Payloads {
        private static final String[] WORDS = {"order", "customer", "id", "sku", "quantity", "price", "currency", "EUR",
            "status", "shipped", "address", "street", "city", "Lyon", "Porto", "items", "total", "created", "2026-11-26",
            "true", "false", "null", "name", "basket", "discount", "warehouse", "tracking", "carrier"};

        private Payloads() {
        }

        /** An HTTP/1.1 API call as the web tier makes it. */
        static byte[] httpRequest(String host) {
            return ("POST /api/v1/orders HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: shop-web/2.3 (java)\r\n"
                    + "Accept: application/json\r\nContent-Type: application/json\r\nContent-Length: 1400\r\n"
                    + "X-Request-Id: 7f3c2a9e-51b4-4c1e-9a0d-2b8e6f1c4d77\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        /** JSON-like text of {@code length} bytes (no signature of the IDS's built-in set in it). */
        static byte[] httpText(int length, Random random) {
            StringBuilder text = new StringBuilder(length + 16);
            while (text.length() < length) {
                text.append("{\"").append(WORDS[random.nextInt(WORDS.length)]).append("\":\"")
                        .append(WORDS[random.nextInt(WORDS.length)]).append("\",");
            }
            return text.substring(0, length).getBytes(StandardCharsets.US_ASCII);
        }

        /** A TLS 1.3 application-data record of {@code length} bytes: a header, then ciphertext (random bytes). */
        static byte[] tlsRecord(int length, Random random) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            bytes[0] = 23;
            bytes[1] = 3;
            bytes[2] = 3;
            bytes[3] = (byte) ((length - 5) >> 8);
            bytes[4] = (byte) (length - 5);
            return bytes;
        }

        /**
         * A TLS 1.3 ClientHello in one record, as a browser sends it (RFC 8446 §4.1.2): server_name
         * (RFC 6066), ALPN h2 and http/1.1, supported versions, groups, signature algorithms, an x25519
         * key share, PSK modes, and padding (RFC 7685) to a 512-byte handshake.
         */
        static byte[] clientHello(String host, Random random) {
            Bytes ext = new Bytes();
            byte[] name = host.getBytes(StandardCharsets.US_ASCII);
            ext.u16(0).u16(name.length + 5).u16(name.length + 3).u8(0).u16(name.length).put(name);
            ext.u16(16).u16(14).u16(12).u8(2).put("h2".getBytes(StandardCharsets.US_ASCII))
                    .u8(8).put("http/1.1".getBytes(StandardCharsets.US_ASCII));
            ext.u16(43).u16(3).u8(2).u16(0x0304);
            ext.u16(10).u16(6).u16(4).u16(0x001D).u16(0x0017);
            ext.u16(13).u16(6).u16(4).u16(0x0804).u16(0x0403);
            ext.u16(51).u16(38).u16(36).u16(0x001D).u16(32).put(randomBytes(32, random));
            ext.u16(45).u16(2).u8(1).u8(1);
            Bytes body = new Bytes();
            body.u16(0x0303).put(randomBytes(32, random)).u8(32).put(randomBytes(32, random))
                    .u16(6).u16(0x1301).u16(0x1302).u16(0x1303).u8(1).u8(0);
            int withoutPadding = 4 + body.size() + 2 + ext.size();
            int padding = Math.max(0, 512 - withoutPadding - 4);
            ext.u16(21).u16(padding).put(new byte[padding]);
            body.u16(ext.size()).put(ext.toArray());
            Bytes record = new Bytes();
            record.u8(22).u16(0x0301).u16(body.size() + 4).u8(1).u8(0).u16(body.size()).put(body.toArray());
            return record.toArray();
        }

        private static byte[] randomBytes(int n, Random random) {
            byte[] b = new byte[n];
            random.nextBytes(b);
            return b;
        }

        /** A byte string written big-endian, field by field. */
        private static final class Bytes {
            private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

            Bytes u8(int v) {
                out.write(v);
                return this;
            }

            Bytes u16(int v) {
                return u8(v >> 8).u8(v);
            }

            Bytes put(byte[] b) {
                out.writeBytes(b);
                return this;
            }

            int size() {
                return out.size();
            }

            byte[] toArray() {
                return out.toByteArray();
            }
        }
    }
}
