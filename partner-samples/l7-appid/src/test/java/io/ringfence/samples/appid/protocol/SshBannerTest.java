package io.ringfence.samples.appid.protocol;

import static io.ringfence.samples.appid.protocol.Fixtures.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SshBannerTest {

    private static Scan client(String text) {
        byte[] bytes = ascii(text);
        return SshBanner.scanClient(bytes, bytes.length);
    }

    private static Scan server(String text) {
        byte[] bytes = ascii(text);
        return SshBanner.scanServer(bytes, bytes.length);
    }

    @Test
    void readsTheVersionAndSoftwareOfEitherSide() {
        assertThat(client(Fixtures.SSH_CLIENT).identification())
                .isEqualTo(new Identification(App.SSH, null, "SSH-2.0 OpenSSH_9.6p1"));
        assertThat(server(Fixtures.SSH_SERVER).identification())
                .isEqualTo(new Identification(App.SSH, null, "SSH-2.0 OpenSSH_8.9"));
        // RFC 4253 excludes '-' from the software version; Cisco IOS sends one all the same
        assertThat(client("SSH-1.99-Cisco-1.25\n").identification().detail()).isEqualTo("SSH-1.99 Cisco-1.25");
    }

    @Test
    void everyPrefixOfABannerNeedsMoreBytes() {
        byte[] banner = ascii(Fixtures.SSH_CLIENT);
        for (int length = 0; length < banner.length; length++) {
            assertThat(SshBanner.scanClient(banner, length).outcome()).as("prefix of %d bytes", length)
                    .isEqualTo(Scan.Outcome.NEED_MORE);
            assertThat(SshBanner.scanServer(banner, length).outcome()).as("prefix of %d bytes", length)
                    .isEqualTo(Scan.Outcome.NEED_MORE);
        }
    }

    @Test
    void theServerMaySendOtherLinesFirstTheClientMayNot() {
        String preamble = "Welcome to the jump host\r\nUnauthorized access prohibited\r\n";
        assertThat(server(preamble + Fixtures.SSH_SERVER).outcome()).isEqualTo(Scan.Outcome.MATCH);
        assertThat(server(preamble).outcome()).isEqualTo(Scan.Outcome.NEED_MORE);
        assertThat(client(preamble + Fixtures.SSH_CLIENT).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
    }

    @Test
    void theVersionLineIsAtMost255CharactersWithItsLineEnd() {
        String longest = "SSH-2.0-" + "x".repeat(255 - 10) + "\r\n";
        assertThat(longest).hasSize(255);
        assertThat(client(longest).outcome()).isEqualTo(Scan.Outcome.MATCH);
        assertThat(client("SSH-2.0-" + "x".repeat(255 - 9) + "\r\n").outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
        assertThat(client("SSH-2.0-" + "x".repeat(300)).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SSH-2.0-\r\n", "SSH--x\r\n", "SSH-.2-x\r\n", "SSH-2.0 x\r\n", "SSH-2.0-a b\rc\r\n",
            "SSH-2.0-a\tb\r\n", "SSH-2.0-a\r\r\n", "SSH-2.0-a b\0\r\n", "ssh-2.0-x\r\n", "SSX-",
    })
    void malformedBannersDoNotMatch(String banner) {
        assertThat(client(banner).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
        assertThat(server(banner).outcome()).isIn(Scan.Outcome.NO_MATCH, Scan.Outcome.NEED_MORE); // a server may still send a banner after a line
    }

    @Test
    void commentsAfterASpaceAreAllowed() {
        assertThat(client("SSH-2.0-PuTTY_Release_0.80 some - comment\r\n").identification().detail())
                .isEqualTo("SSH-2.0 PuTTY_Release_0.80");
    }
}
