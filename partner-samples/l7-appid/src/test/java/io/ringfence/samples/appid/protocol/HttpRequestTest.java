package io.ringfence.samples.appid.protocol;

import static io.ringfence.samples.appid.protocol.Fixtures.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpRequestTest {

    private static Scan scan(String request) {
        byte[] bytes = ascii(request);
        return HttpRequest.scan(bytes, bytes.length);
    }

    private static String host(String request) {
        Scan scan = scan(request);
        assertThat(scan.outcome()).as(request).isEqualTo(Scan.Outcome.MATCH);
        return scan.identification().host();
    }

    @Test
    void readsTheHostWithoutPortInLowerCase() {
        assertThat(scan(Fixtures.HTTP_GET).identification())
                .isEqualTo(new Identification(App.HTTP, "www.example.com", "GET"));
    }

    @Test
    void everyPrefixOfTheRequestHeadNeedsMoreBytes() {
        byte[] request = ascii(Fixtures.HTTP_GET);
        for (int length = 0; length < request.length; length++) {
            assertThat(HttpRequest.scan(request, length).outcome()).as("prefix of %d bytes", length)
                    .isEqualTo(Scan.Outcome.NEED_MORE);
        }
    }

    @Test
    void theBodyAfterTheHeadIsNotRead() {
        assertThat(host("POST /api HTTP/1.1\r\nHost: api.example\r\nContent-Length: 4\r\n\r\n\0\0\0\0")).isEqualTo("api.example");
    }

    @Test
    void hostFormsAreNormalized() {
        assertThat(host("GET / HTTP/1.1\r\nhost:   Example.org.  \r\n\r\n")).isEqualTo("example.org");
        assertThat(host("GET / HTTP/1.1\r\nHOST: 192.0.2.7:8080\r\n\r\n")).isEqualTo("192.0.2.7");
        assertThat(host("GET / HTTP/1.1\r\nHost: [2001:DB8::1]:443\r\n\r\n")).isEqualTo("[2001:db8::1]");
        assertThat(host("GET / HTTP/1.0\r\n\r\n")).isNull();
        assertThat(host("GET / HTTP/1.1\r\nHost:\r\n\r\n")).isNull();
        assertThat(host("OPTIONS * HTTP/1.1\r\nHost: opt.example\r\n\r\n")).isEqualTo("opt.example");
    }

    @Test
    void theTargetsAuthorityWinsOverHost() {
        assertThat(host("GET http://Real.Example:81/x HTTP/1.1\r\nHost: decoy.example\r\n\r\n")).isEqualTo("real.example");
        assertThat(host("GET https://real.example?q HTTP/1.1\r\n\r\n")).isEqualTo("real.example");
        assertThat(host("CONNECT tunnel.example:443 HTTP/1.1\r\nHost: decoy.example\r\n\r\n")).isEqualTo("tunnel.example");
    }

    @Test
    void bareLineFeedsEndLines() {
        assertThat(host("GET / HTTP/1.1\nHost: lf.example\n\n")).isEqualTo("lf.example");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n", // two Hosts
            "GET / HTTP/1.1\r\nHost : a.example\r\n\r\n", // space before the colon
            "GET / HTTP/1.1\r\nX-A: 1\r\n  folded\r\nHost: a.example\r\n\r\n", // obsolete line folding
            "GET / HTTP/1.1\r\nHost: a.example\rX: 1\r\n\r\n", // bare CR
            "GET / HTTP/1.1\r\nHost: a.exa\0mple\r\n\r\n", // NUL
            "GET / HTTP/1.1\r\nHost: a.example:80x\r\n\r\n", // port not digits
            "GET / HTTP/1.1\r\nHost: a.example:1234567\r\n\r\n", // port too long
            "GET / HTTP/1.1\r\nHost: user@a.example\r\n\r\n", // userinfo
            "GET / HTTP/1.1\r\nHost: a..example\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: [zz::1]\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n",
            "GET http:///path HTTP/1.1\r\n\r\n", // empty authority
            "GET ftp://a.example/ HTTP/1.1\r\n\r\n", // not an HTTP target
            "GET / HTTP/2.0\r\n\r\n",
            "GET / HTTP/1.1 \r\n\r\n",
            "get / HTTP/1.1\r\n\r\n", // methods are upper case
            "GET  / HTTP/1.1\r\n\r\n",
            "AVERYVERYLONGMETHODNAME / HTTP/1.1\r\n\r\n",
            "SSH-2.0-OpenSSH_9.6\r\n",
    })
    void malformedHeadsDoNotMatch(String request) {
        assertThat(scan(request).outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
    }

    @Test
    void aHeadCutShortNeedsMoreUntilItIsRuledOut() {
        assertThat(scan("GET / HTTP/1.1\r\nHost: a.example\r").outcome()).isEqualTo(Scan.Outcome.NEED_MORE);
        assertThat(scan("PROPFIND").outcome()).isEqualTo(Scan.Outcome.NEED_MORE);
        assertThat(scan("PROPFIND\t").outcome()).isEqualTo(Scan.Outcome.NO_MATCH);
    }
}
