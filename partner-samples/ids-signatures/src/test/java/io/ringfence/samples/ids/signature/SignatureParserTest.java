package io.ringfence.samples.ids.signature;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.spi.inspection.Alert.Severity;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SignatureParserTest {

    @Test
    void readsEveryPartOfARule() {
        Signature s = parse("drop tcp 8000:8080 (id:42; msg:\"a \\\"quoted\\\" word\"; content:\"GET |2f 2E|\";"
                + " content:\"x\\|y\\\\\"; nocase; severity:critical)").get(0);
        assertThat(s.id()).isEqualTo(42);
        assertThat(s.message()).isEqualTo("a \"quoted\" word");
        assertThat(s.action()).isEqualTo(Action.DROP);
        assertThat(s.transport()).isEqualTo(Transport.TCP);
        assertThat(s.port()).isEqualTo(new PortRange(8000, 8080));
        assertThat(s.contents()).containsExactly(new Content("GET /.".getBytes(UTF_8), false),
                new Content("x|y\\".getBytes(UTF_8), true));
        assertThat(s.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(s.origin()).isEqualTo("test line 1");
    }

    @Test
    void defaultsAndLenientSpacing() {
        Signature s = parse("  alert   any any(id:7;msg:\"m\";content:\"|00|é\";)  ").get(0);
        assertThat(s.action()).isEqualTo(Action.ALERT);
        assertThat(s.transport()).isEqualTo(Transport.ANY);
        assertThat(s.port()).isEqualTo(PortRange.ANY);
        assertThat(s.severity()).isEqualTo(Severity.MEDIUM);
        // text is UTF-8, hex bytes are raw
        assertThat(s.contents().get(0).bytes()).containsExactly(0x00, 0xC3, 0xA9);
        assertThat(s.contents().get(0).nocase()).isFalse();
    }

    @Test
    void skipsCommentsAndBlankLinesAndCountsLines() {
        List<Signature> all = parse("# a comment\n\n   \t\nalert udp 53 (id:1; msg:\"a\"; content:\"x\")\r\n"
                + "  # indented comment\nalert tcp 1 (id:2; msg:\"b\"; content:\"y\")");
        assertThat(all).extracting(Signature::id).containsExactly(1, 2);
        assertThat(all).extracting(Signature::origin).containsExactly("test line 4", "test line 6");
    }

    @Test
    void aSignatureReadsBackFromItsText() {
        for (String rule : List.of(
                "drop tcp 80 (id:1; msg:\"m \\\\ \\\"q\\\"\"; content:\"a|00 7c 22 5c ff|b\"; nocase; content:\"c\";)",
                "alert udp 1:1024 (id:2; msg:\"x|y\"; content:\"|0d 0a|\"; severity:info)",
                "alert any any (id:3; msg:\"z\"; content:\"é\")")) {
            Signature s = parse(rule).get(0);
            assertThat(parse(s.toString()).get(0)).as(s.toString()).isEqualTo(s);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
        "reject tcp 80 (id:1; msg:\"m\"; content:\"x\")                 ~1~expected the action alert or drop",
        "alert icmp any (id:1; msg:\"m\"; content:\"x\")                ~7~expected the protocol tcp, udp or any",
        "alert tcp 0 (id:1; msg:\"m\"; content:\"x\")                   ~11~a port is from 1 to 65535",
        "alert tcp 70000 (id:1; msg:\"m\"; content:\"x\")               ~11~a port is from 1 to 65535",
        "alert tcp 90:80 (id:1; msg:\"m\"; content:\"x\")               ~11~the port range 90:80 is empty",
        "alert tcp web (id:1; msg:\"m\"; content:\"x\")                 ~11~expected a port, a range low:high, or any",
        "alert tcp 80 id:1; msg:\"m\"; content:\"x\")                   ~14~expected '(' opening the options",
        "alert tcp 80 (id:0; msg:\"m\"; content:\"x\")                  ~18~an id is from 1 to 2147483647",
        "alert tcp 80 (id:x; msg:\"m\"; content:\"x\")                  ~18~expected a number",
        "alert tcp 80 (id 1; msg:\"m\"; content:\"x\")                  ~18~expected ':' before the value",
        "alert tcp 80 (id:1 msg:\"m\"; content:\"x\")                   ~20~expected ';' or ')' after the option id",
        "alert tcp 80 (sid:1; msg:\"m\"; content:\"x\")                 ~15~unknown option 'sid'",
        "alert tcp 80 (id:1; id:2; msg:\"m\"; content:\"x\")            ~21~id is given twice",
        "alert tcp 80 (id:1; msg:\"m; content:\"x\")                    ~38~expected ';' or ')' after the option msg",
        "alert tcp 80 (id:1; msg:\"m\"; content:\"x)                    ~38~the quoted string is not closed",
        "alert tcp 80 (id:1; msg:\" \"; content:\"x\")                  ~25~a msg has 1 to 256 characters",
        "alert tcp 80 (id:1; msg:\"m\"; content:\"\")                   ~38~a content has 1 to 255 bytes, this one 0",
        "alert tcp 80 (id:1; msg:\"m\"; content:\"|0d 0|\")             ~43~expected two hex digits",
        "alert tcp 80 (id:1; msg:\"m\"; content:\"|0g|\")               ~40~expected two hex digits",
        "alert tcp 80 (id:1; msg:\"m\"; content:\"a|0d\")               ~40~the |hex| sequence is not closed",
        "alert tcp 80 (id:1; msg:\"m\"; content:\"||\")                 ~39~empty |hex| sequence",
        "alert tcp 80 (id:1; msg:\"m\"; content:\"a\\nb\")              ~40~unknown escape",
        "alert tcp 80 (id:1; msg:\"m\"; nocase; content:\"x\")          ~30~nocase modifies the content before it",
        "alert tcp 80 (id:1; msg:\"m\"; content:\"x\"; nocase; nocase)  ~51~nocase is given twice",
        "alert tcp 80 (id:1; msg:\"m\"; content:\"x\"; severity:severe) ~52~expected the severity info, low",
        "alert tcp 80 (id:1; msg:\"m\"; content:\"x\"                   ~41~expected ')' closing the options",
        "alert tcp 80 (id:1; msg:\"m\"; content:\"x\") extra            ~43~unexpected text after the closing ')'",
        "alert tcp 80 (msg:\"m\"; content:\"x\")                        ~1~the rule has no id",
        "alert tcp 80 (id:1; content:\"x\")                             ~1~the rule has no msg",
        "alert tcp 80 (id:1; msg:\"m\")                                 ~1~the rule has no content",
    })
    void badRulesNameTheirLineAndColumn(String rule, int column, String detail) {
        assertThatThrownBy(() -> new SignatureParser().parse("# first line\n" + rule.strip(), "rules[3]"))
                .isInstanceOfSatisfying(SignatureSyntaxException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(column);
                })
                .hasMessageStartingWith("rules[3] line 2 column " + column + ": " + detail);
    }

    @Test
    void boundsTheContentsOfARule() {
        String tooLong = "a".repeat(Content.MAX_LENGTH + 1);
        assertThatThrownBy(() -> parse("alert tcp 80 (id:1; msg:\"m\"; content:\"" + tooLong + "\")"))
                .hasMessageContaining("column 38: a content has 1 to 255 bytes, this one 256");
        String many = "content:\"x\"; ".repeat(Signature.MAX_CONTENTS + 1);
        assertThatThrownBy(() -> parse("alert tcp 80 (id:1; msg:\"m\"; " + many + ")"))
                .hasMessageContaining("a rule has at most 16 contents");
    }

    @Test
    void idsAreUniqueAcrossTextsAndABadTextLeavesNothingBehind() {
        SignatureParser parser = new SignatureParser().parse("alert tcp 80 (id:5; msg:\"m\"; content:\"x\")", "built-in rules");
        assertThatThrownBy(() -> parser.parse("alert tcp 80 (id:6; msg:\"m\"; content:\"x\")\n"
                + "alert tcp 80 (id:5; msg:\"m\"; content:\"y\")", "rules[0]"))
                .hasMessage("rules[0] line 2 column 18: id 5 is already used by the rule at built-in rules line 1");
        assertThat(parser.signatures()).extracting(Signature::id).containsExactly(5);
        // id 6 was not kept: it can still be used
        parser.parse("alert tcp 80 (id:6; msg:\"m\"; content:\"x\")", "rules[1]");
        assertThat(parser.signatures()).extracting(Signature::id).containsExactly(5, 6);
    }

    private static List<Signature> parse(String text) {
        return new SignatureParser().parse(text, "test").signatures();
    }
}
