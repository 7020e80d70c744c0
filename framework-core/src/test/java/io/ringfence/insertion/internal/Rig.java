package io.ringfence.insertion.internal;

import io.ringfence.insertion.ChainHop;
import io.ringfence.insertion.ChainSession;
import io.ringfence.insertion.ChainSpec;
import io.ringfence.insertion.FailurePolicy;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectedPacket;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.VnicDirection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A runtime for tests: a registry without periodic health polls and with a manual ticker for the
 * circuit breakers, fake functions whose hangs end when the rig is closed, and builders for chains,
 * flows and packets.
 */
final class Rig implements AutoCloseable {

    static final Duration LONG_DEADLINE = Duration.ofSeconds(5);
    static final int BREAKER_THRESHOLD = 3;
    static final Duration COOL_DOWN = Duration.ofSeconds(30);

    final AtomicLong ticker = new AtomicLong();
    final CountDownLatch hang = new CountDownLatch(1);
    final Queue<String> trace = new ConcurrentLinkedQueue<>();
    final FunctionRegistry registry;
    final ServiceInsertionManager insertion;
    private final AtomicLong serviceIds = new AtomicLong(100);
    private final AtomicLong flowIds = new AtomicLong();

    Rig() {
        this(2, 64);
    }

    Rig(int threadsPerInstance, int queuePerInstance) {
        registry = new FunctionRegistry(new InsertionConfig(threadsPerInstance, queuePerInstance, Duration.ofNanos(20_000),
                Duration.ZERO, BREAKER_THRESHOLD, COOL_DOWN, Duration.ZERO, Duration.ofMillis(300), 100), Clock.systemUTC(), ticker::get);
        insertion = new ServiceInsertionManager(registry);
    }

    FakeFunction function(String name, String version) {
        return new FakeFunction(name, version, false, false, hang, trace);
    }

    FakeFunction statefulFunction(String name, String version) {
        return new FakeFunction(name, version, true, true, hang, trace);
    }

    /** Registers the function; its service id. */
    long register(FakeFunction f) {
        long id = serviceIds.incrementAndGet();
        if (!registry.add(f, id, 0)) {
            throw new AssertionError("refused " + f.id());
        }
        return id;
    }

    static ChainHop hop(FakeFunction f) {
        return hop(f.descriptor.name(), f.id());
    }

    static ChainHop hop(String profileId, String definitionId) {
        return new ChainHop(profileId, definitionId, new Profile(profileId, profileId, Map.of()));
    }

    static ChainSpec chain(String id, FailurePolicy policy, Duration deadline, ChainHop... forward) {
        return ChainSpec.symmetric(id, Arrays.asList(forward), policy, deadline);
    }

    static ChainSpec chain(String id, FailurePolicy policy, ChainHop... forward) {
        return chain(id, policy, LONG_DEADLINE, forward);
    }

    ChainSession open(ChainSpec chain) {
        return insertion.open(chain, flow());
    }

    FlowContext flow() {
        try {
            return new FlowContext(flowIds.incrementAndGet(), "web-01-0", VnicDirection.OUT, "web-01", "web-01",
                    List.of("app:web"), FlowContext.TCP, InetAddress.getByName("10.0.0.1"), 40000,
                    InetAddress.getByName("10.0.0.2"), 443);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static InspectedPacket packet(PacketSide side) {
        return new InspectedPacket(side, InspectedPacket.SYN, 1, 60, ByteBuffer.wrap(new byte[] {1, 2, 3}).asReadOnlyBuffer());
    }

    static InspectedPacket original() {
        return packet(PacketSide.ORIGINAL);
    }

    static InspectedPacket reply() {
        return packet(PacketSide.REPLY);
    }

    @Override
    public void close() {
        hang.countDown();
        registry.close();
    }
}
