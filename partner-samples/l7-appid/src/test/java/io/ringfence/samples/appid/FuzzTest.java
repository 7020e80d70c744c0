package io.ringfence.samples.appid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ringfence.samples.appid.protocol.ClientHelloBuilder;
import io.ringfence.samples.appid.protocol.DnsQuery;
import io.ringfence.samples.appid.protocol.Fixtures;
import io.ringfence.samples.appid.protocol.HostName;
import io.ringfence.samples.appid.protocol.HttpRequest;
import io.ringfence.samples.appid.protocol.Recognizers;
import io.ringfence.samples.appid.protocol.Scan;
import io.ringfence.samples.appid.protocol.SshBanner;
import io.ringfence.samples.appid.protocol.TlsClientHello;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.SessionState;
import io.ringfence.spi.inspection.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Random bytes and mutated real fixtures, seeded: recognizers never throw and only ever report
 * canonical host names; sessions always answer with a verdict and keep a denial; corrupt states are
 * refused with an IllegalArgumentException. A failure names its seed: rerun with
 * {@code -Dappid.fuzz.seed=<seed>} (and {@code -Dappid.fuzz.rounds=<n>} to go further).
 */
class FuzzTest {

    private static final long SEED = Long.getLong("appid.fuzz.seed", System.nanoTime());
    private static final int ROUNDS = Integer.getInteger("appid.fuzz.rounds", 20_000);

    private static final List<byte[]> FIXTURES = List.of(
            new ClientHelloBuilder().serverName("www.example.com").alpn("h2", "http/1.1").record(),
            new ClientHelloBuilder().serverName("a.example").records(37),
            new ClientHelloBuilder().withoutExtensions().record(),
            Fixtures.ascii(Fixtures.HTTP_GET),
            Fixtures.ascii("CONNECT proxy.example:443 HTTP/1.1\r\nHost: proxy.example\r\n\r\n"),
            Fixtures.ascii(Fixtures.SSH_CLIENT),
            Fixtures.ascii("Welcome\r\n" + Fixtures.SSH_SERVER),
            Fixtures.dnsQuery("www.example.org", 1),
            Fixtures.overTcp(Fixtures.dnsQuery("_ldap._tcp.dc.example", 33)));

    private static final List<BiFunction<byte[], Integer, Scan>> RECOGNIZERS = List.of(
            TlsClientHello::scan, HttpRequest::scan, SshBanner::scanClient, SshBanner::scanServer,
            DnsQuery::scanStream, DnsQuery::scanDatagram, Recognizers::clientStream, Recognizers::serverStream,
            Recognizers::clientDatagram);

    private final Random random = new Random(SEED);

    @Test
    void recognizersNeverThrowAndReportOnlyCanonicalHosts() {
        int matches = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = input();
            try {
                for (BiFunction<byte[], Integer, Scan> recognizer : RECOGNIZERS) {
                    Scan scan = recognizer.apply(input, input.length);
                    assertThat(scan).isNotNull();
                    if (scan.outcome() == Scan.Outcome.MATCH) {
                        matches++;
                        String host = scan.identification().host();
                        assertThat(host == null || host.startsWith("[") || host.equals(HostName.canonical(host)))
                                .as("canonical host %s", host).isTrue();
                    }
                }
            } catch (Throwable t) {
                fail(failure(round, input), t);
            }
        }
        assertThat(matches).as("mutated fixtures still match sometimes (seed %d)", SEED).isPositive();
    }

    @Test
    void sessionsAlwaysAnswerAndKeepTheirDenialAcrossHandOvers() {
        AppIdService service = new AppIdService("1.0.0");
        for (int round = 0; round < ROUNDS / 10; round++) {
            byte[] input = input();
            try {
                Profile profile = randomProfile();
                FlowContext flow = Flows.flow(random.nextInt(4) == 0 ? FlowContext.UDP : FlowContext.TCP, 443);
                Flows.Alerts alerts = new Flows.Alerts();
                InspectionSession session = service.open(flow, profile, alerts);
                Verdict last = Verdict.PASS;
                for (int sent = 0; sent < input.length && last != Verdict.PASS_AND_BYPASS; ) {
                    int length = Math.min(input.length - sent, 1 + random.nextInt(64));
                    int offset = random.nextInt(8) == 0 ? Math.max(0, sent - random.nextInt(32)) : sent; // overlaps
                    PacketSide side = random.nextInt(5) == 0 ? PacketSide.REPLY : PacketSide.ORIGINAL;
                    int flags = random.nextInt(20) == 0 ? 0x02 : 0x10;
                    Verdict verdict = session.inspect(Flows.packet(side, flags, Flows.CLIENT_ISN + 1 + offset,
                            Arrays.copyOfRange(input, sent, sent + length)));
                    assertThat(verdict).isNotNull();
                    if (last == Verdict.DROP || last == Verdict.REJECT) {
                        assertThat(verdict).isEqualTo(last);
                    }
                    last = verdict;
                    sent += length;
                    if (random.nextInt(10) == 0) {
                        SessionState state = session.exportState().orElseThrow();
                        session.close();
                        session = service.resume(flow, profile, alerts, state);
                    }
                }
                assertThat(alerts.received.size()).isLessThanOrEqualTo(1);
            } catch (Throwable t) {
                fail(failure(round, input), t);
            }
        }
    }

    @Test
    void corruptStatesAreRefusedOrResumedNeverAnythingElse() {
        AppIdService service = new AppIdService("1.0.0");
        Profile profile = Flows.profile("unknownAction", "deny");
        for (int round = 0; round < ROUNDS / 10; round++) {
            byte[] input = input();
            byte[] state = null;
            try {
                Flows.Tcp flow = new Flows.Tcp(service.open(Flows.tcp(), profile, new Flows.Alerts()));
                flow.client(random.nextInt(64), Arrays.copyOf(input, input.length / 2));
                flow.server(random.nextInt(64), Arrays.copyOfRange(input, input.length / 2, input.length));
                state = flow.session.exportState().orElseThrow().data();
                mutate(state, 1 + random.nextInt(4));
                InspectionSession resumed;
                try {
                    resumed = service.resume(Flows.tcp(), profile, new Flows.Alerts(), new SessionState(SessionCodec.FORMAT, state));
                } catch (IllegalArgumentException refused) {
                    continue;
                }
                assertThat(new Flows.Tcp(resumed).client(random.nextInt(64), input())).isNotNull();
            } catch (Throwable t) {
                fail(failure(round, input) + " state " + (state == null ? "-" : hex(state)), t);
            }
        }
    }

    /** Random bytes, or a fixture mutated, truncated, spliced. */
    private byte[] input() {
        byte[] fixture = FIXTURES.get(random.nextInt(FIXTURES.size())).clone();
        switch (random.nextInt(5)) {
            case 0 -> {
                byte[] bytes = new byte[random.nextInt(600)];
                random.nextBytes(bytes);
                return bytes;
            }
            case 1 -> {
                mutate(fixture, 1 + random.nextInt(8));
                return fixture;
            }
            case 2 -> {
                return Arrays.copyOf(fixture, random.nextInt(fixture.length + 1));
            }
            case 3 -> {
                int from = random.nextInt(fixture.length);
                int to = from + random.nextInt(fixture.length - from + 1);
                byte[] spliced = new byte[fixture.length + (to - from)];
                System.arraycopy(fixture, 0, spliced, 0, to);
                System.arraycopy(fixture, from, spliced, to, fixture.length - from);
                return spliced; // [from, to) repeated
            }
            default -> {
                return fixture;
            }
        }
    }

    /** Sets bytes to random values or to the ones that stress length fields. */
    private void mutate(byte[] bytes, int count) {
        if (bytes.length == 0) {
            return;
        }
        byte[] interesting = {0, 1, 0x3F, 0x40, (byte) 0x7F, (byte) 0x80, (byte) 0xC0, (byte) 0xFF};
        for (int i = 0; i < count; i++) {
            bytes[random.nextInt(bytes.length)] = random.nextBoolean()
                    ? (byte) random.nextInt(256) : interesting[random.nextInt(interesting.length)];
        }
    }

    private Profile randomProfile() {
        List<Object> values = new ArrayList<>(List.of("maxBytes", (long) (256 + random.nextInt(2048))));
        if (random.nextBoolean()) {
            values.addAll(List.of("denyHosts", List.of("*.example", "www.example.com")));
        }
        if (random.nextBoolean()) {
            values.addAll(List.of("denyApps", List.of("ssh")));
        }
        values.addAll(List.of("unknownAction", random.nextBoolean() ? "allow" : "deny",
                "action", random.nextBoolean() ? "drop" : "reject"));
        return Flows.profile(values.toArray());
    }

    private static String failure(int round, byte[] input) {
        return "seed " + SEED + " (-Dappid.fuzz.seed=" + SEED + "), round " + round + ", input " + hex(input);
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%02x", b));
        }
        return out.toString();
    }
}
