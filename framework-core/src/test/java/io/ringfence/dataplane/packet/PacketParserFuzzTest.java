package io.ringfence.dataplane.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated frames: the parser returns a packet or throws {@link MalformedPacketException},
 * nothing else. The seed is random per run and printed on failure; rerun one with
 * {@code -Dringfence.fuzz.seed=<seed>}. Each test stops after about a second.
 */
class PacketParserFuzzTest {

    private static final long BUDGET_NANOS = 1_000_000_000L;
    private static final int MAX_ROUNDS = 200_000;

    private static long seed() {
        String fixed = System.getProperty("ringfence.fuzz.seed");
        return fixed != null ? Long.parseLong(fixed) : new Random().nextLong();
    }

    @Test
    void randomBytes() {
        long seed = seed();
        Random random = new Random(seed);
        int rounds = run(seed, () -> {
            byte[] frame = new byte[random.nextInt(120)];
            random.nextBytes(frame);
            if (frame.length >= 15 && random.nextBoolean()) {
                // steer half of them past the Ethernet layer
                boolean v4 = random.nextBoolean();
                Bytes.put16(frame, 12, v4 ? 0x0800 : 0x86DD);
                frame[14] = (byte) ((v4 ? 0x40 : 0x60) | (frame[14] & 0x0F));
                if (v4 && frame.length >= 38) {
                    Bytes.put16(frame, 16, frame.length - 14 - random.nextInt(3));
                    frame[14] = (byte) (0x40 | (5 + random.nextInt(2)));
                    Frames.fixIpv4Checksum(frame, 14);
                }
            }
            return frame;
        });
        assertThat(rounds).isPositive();
    }

    @Test
    void mutatedValidFrames() {
        long seed = seed();
        Random random = new Random(seed);
        List<byte[]> valid = MalformedPacketTest.validFrames();
        int rounds = run(seed, () -> {
            byte[] frame = Frames.copy(valid.get(random.nextInt(valid.size())));
            for (int m = 1 + random.nextInt(3); m > 0; m--) {
                frame = mutate(frame, random);
            }
            if (random.nextBoolean()) {
                fixChecksums(frame);
            }
            return frame;
        });
        assertThat(rounds).isPositive();
    }

    @Test
    void randomQuotesInIcmpErrors() {
        // the writer computes a valid checksum, so random quotes reach the lenient embedded header parser
        long seed = seed();
        Random random = new Random(seed);
        List<byte[]> valid = MalformedPacketTest.validFrames();
        int rounds = run(seed, () -> {
            boolean v4 = random.nextBoolean();
            byte[] quote;
            if (random.nextBoolean()) {
                quote = new byte[random.nextInt(v4 ? 64 : 128)];
                random.nextBytes(quote);
                if (quote.length > 0) {
                    quote[0] = (byte) ((v4 ? 0x40 : 0x60) | (quote[0] & 0x0F));
                }
            } else {
                byte[] frame = valid.get(random.nextInt(valid.size()));
                quote = mutate(Arrays.copyOfRange(frame, 14, frame.length), random);
            }
            int type = v4 ? new int[] {3, 11, 12}[random.nextInt(3)] : 1 + random.nextInt(4);
            Packet error = Frames.packet(v4 ? "10.0.0.1" : "2001:db8::1", v4 ? "10.0.0.2" : "2001:db8::2",
                    v4 ? Packet.ICMP : Packet.ICMPV6, 0, 0, 0, 0, 0, 0, type, random.nextInt(256), 0, null, quote);
            return PacketWriter.toEthernet(error, 1, 2);
        });
        assertThat(rounds).isPositive();
    }

    @Test
    void randomRegionsOfParseIp() {
        long seed = seed();
        Random random = new Random(seed);
        byte[] ip = PacketWriter.toIp(Frames.samples().get(1));
        for (int i = 0; i < 10_000; i++) {
            int offset = random.nextInt(ip.length + 10) - 5;
            int length = random.nextInt(ip.length + 10) - 5;
            try {
                PacketParser.parseIp(ip, offset, length);
            } catch (MalformedPacketException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("seed " + seed + ": parseIp(" + offset + ", " + length + ") threw " + e, e);
            }
        }
    }

    private interface FrameSource {
        byte[] next();
    }

    private static int run(long seed, FrameSource source) {
        long end = System.nanoTime() + BUDGET_NANOS;
        int round = 0;
        for (; round < MAX_ROUNDS && System.nanoTime() < end; round++) {
            byte[] frame = null;
            try {
                frame = source.next();
                Packet p = PacketParser.parseEthernet(frame);
                assertThat(p).isNotNull();
            } catch (MalformedPacketException expected) {
                assertThat(expected.getMessage()).as("seed %d, round %d", seed, round).isNotBlank();
            } catch (RuntimeException e) {
                fail("seed " + seed + ", round " + round + ": " + e + " on "
                        + (frame == null ? "(no frame)" : HexFormat.of().formatHex(frame)), e);
            }
        }
        return round;
    }

    private static byte[] mutate(byte[] frame, Random random) {
        if (frame.length == 0) {
            return new byte[] {(byte) random.nextInt()};
        }
        int at = random.nextInt(frame.length);
        switch (random.nextInt(5)) {
            case 0 -> frame[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> frame[at] = (byte) random.nextInt();
            case 2 -> {
                return Arrays.copyOf(frame, at);
            }
            case 3 -> {
                byte[] extra = new byte[1 + random.nextInt(8)];
                random.nextBytes(extra);
                return Frames.insert(frame, at, extra);
            }
            default -> {
                // small values in length fields are the interesting ones
                frame[at] = (byte) random.nextInt(8);
            }
        }
        return frame;
    }

    /** Makes an untagged IPv4 frame's header checksum right again, so mutations reach the transport parser. */
    private static void fixChecksums(byte[] frame) {
        if (frame.length >= 34 && Bytes.u16(frame, 12) == 0x0800) {
            int ihl = (frame[14] & 0x0F) * 4;
            if (ihl >= 20 && 14 + ihl <= frame.length) {
                Frames.fixIpv4Checksum(frame, 14);
            }
        }
    }
}
