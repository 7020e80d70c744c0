package io.ringfence.samples.ids.signature;

import io.ringfence.spi.inspection.Alert.Severity;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads rules in the sample's format (see the README for the grammar), one rule per line:
 *
 * <pre>
 * drop tcp 80 (id:1001; msg:"/etc/passwd requested"; content:"GET "; content:"/etc/passwd"; nocase;)
 * </pre>
 *
 * Several texts can be read into one parser (the built-in rules, then a profile's), which keeps ids
 * unique across them. A text is read whole or not at all: the first error throws a
 * {@link SignatureSyntaxException} naming the text, the line and the column.
 */
public final class SignatureParser {

    private static final int MAX_MESSAGE_LENGTH = 256;

    private final List<Signature> signatures = new ArrayList<>();
    private final Map<Integer, Signature> byId = new HashMap<>();

    /**
     * Reads {@code text}.
     *
     * @param origin names the text in error messages and in each signature's origin
     * @return this parser
     * @throws SignatureSyntaxException at the first error; nothing of {@code text} is kept then
     */
    public SignatureParser parse(String text, String origin) {
        List<Signature> parsed = new ArrayList<>();
        Map<Integer, Signature> ids = new HashMap<>(byId);
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String stripped = lines[i].strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            Signature s = new RuleReader(lines[i], origin, i + 1, ids).read();
            ids.put(s.id(), s);
            parsed.add(s);
        }
        signatures.addAll(parsed);
        byId.putAll(ids);
        return this;
    }

    /** Everything read so far, in order. */
    public List<Signature> signatures() {
        return List.copyOf(signatures);
    }

    /** Reads one rule from one line. */
    private static final class RuleReader {
        private final String line;
        private final String origin;
        private final int lineNumber;
        private final Map<Integer, Signature> ids;
        private int pos;

        RuleReader(String line, String origin, int lineNumber, Map<Integer, Signature> ids) {
            this.line = line;
            this.origin = origin;
            this.lineNumber = lineNumber;
            this.ids = ids;
        }

        Signature read() {
            skipSpaces();
            int ruleStart = pos;
            Action action = switch (word("an action")) {
                case "alert" -> Action.ALERT;
                case "drop" -> Action.DROP;
                default -> throw error(ruleStart, "expected the action alert or drop");
            };
            skipSpaces();
            int at = pos;
            Transport transport = switch (word("a protocol")) {
                case "tcp" -> Transport.TCP;
                case "udp" -> Transport.UDP;
                case "any" -> Transport.ANY;
                default -> throw error(at, "expected the protocol tcp, udp or any");
            };
            skipSpaces();
            PortRange port = port();
            skipSpaces();
            expect('(', "'(' opening the options");

            Integer id = null;
            String message = null;
            Severity severity = null;
            List<byte[]> contents = new ArrayList<>();
            List<Boolean> nocase = new ArrayList<>();
            while (true) {
                skipSpaces();
                if (pos >= line.length()) {
                    throw error(pos, "expected ')' closing the options");
                }
                if (peek() == ')') {
                    break;
                }
                int optionStart = pos;
                String option = word("an option");
                skipSpaces();
                switch (option) {
                    case "id" -> {
                        if (id != null) {
                            throw error(optionStart, "id is given twice");
                        }
                        value();
                        int numberStart = pos;
                        long n = number();
                        if (n < 1 || n > Integer.MAX_VALUE) {
                            throw error(numberStart, "an id is from 1 to " + Integer.MAX_VALUE);
                        }
                        id = (int) n;
                        Signature other = ids.get(id);
                        if (other != null) {
                            throw error(numberStart, "id " + id + " is already used by the rule at " + other.origin());
                        }
                    }
                    case "msg" -> {
                        if (message != null) {
                            throw error(optionStart, "msg is given twice");
                        }
                        value();
                        int textStart = pos;
                        message = new String(quoted(false), StandardCharsets.UTF_8);
                        if (message.isBlank() || message.length() > MAX_MESSAGE_LENGTH) {
                            throw error(textStart, "a msg has 1 to " + MAX_MESSAGE_LENGTH + " characters, not all blank");
                        }
                    }
                    case "content" -> {
                        value();
                        int textStart = pos;
                        byte[] bytes = quoted(true);
                        if (bytes.length == 0 || bytes.length > Content.MAX_LENGTH) {
                            throw error(textStart, "a content has 1 to " + Content.MAX_LENGTH + " bytes, this one "
                                    + bytes.length);
                        }
                        if (contents.size() == Signature.MAX_CONTENTS) {
                            throw error(optionStart, "a rule has at most " + Signature.MAX_CONTENTS + " contents");
                        }
                        contents.add(bytes);
                        nocase.add(false);
                    }
                    case "nocase" -> {
                        if (contents.isEmpty()) {
                            throw error(optionStart, "nocase modifies the content before it, and there is none");
                        }
                        if (nocase.set(nocase.size() - 1, true)) {
                            throw error(optionStart, "nocase is given twice for the same content");
                        }
                    }
                    case "severity" -> {
                        if (severity != null) {
                            throw error(optionStart, "severity is given twice");
                        }
                        value();
                        int wordStart = pos;
                        String level = word("a severity");
                        severity = switch (level) {
                            case "info", "low", "medium", "high", "critical" -> Severity.valueOf(level.toUpperCase(Locale.ROOT));
                            default -> throw error(wordStart, "expected the severity info, low, medium, high or critical");
                        };
                    }
                    default -> throw error(optionStart,
                            "unknown option '" + option + "' (expected id, msg, content, nocase or severity)");
                }
                skipSpaces();
                if (pos >= line.length()) {
                    throw error(pos, "expected ')' closing the options");
                }
                if (peek() == ';') {
                    pos++;
                } else if (peek() != ')') {
                    throw error(pos, "expected ';' or ')' after the option " + option);
                }
            }
            pos++;
            skipSpaces();
            if (pos < line.length()) {
                throw error(pos, "unexpected text after the closing ')'");
            }
            if (id == null) {
                throw error(ruleStart, "the rule has no id");
            }
            if (message == null) {
                throw error(ruleStart, "the rule has no msg");
            }
            if (contents.isEmpty()) {
                throw error(ruleStart, "the rule has no content");
            }
            List<Content> built = new ArrayList<>();
            for (int i = 0; i < contents.size(); i++) {
                built.add(new Content(contents.get(i), nocase.get(i)));
            }
            return new Signature(id, message, action, transport, port, built,
                    severity == null ? Severity.MEDIUM : severity, origin + " line " + lineNumber);
        }

        private PortRange port() {
            int start = pos;
            if (Character.isLetter(peek())) {
                if (!word("a port").equals("any")) {
                    throw error(start, "expected a port, a range low:high, or any");
                }
                return PortRange.ANY;
            }
            int from = portNumber();
            int to = from;
            if (peek() == ':') {
                pos++;
                to = portNumber();
                if (to < from) {
                    throw error(start, "the port range " + from + ":" + to + " is empty");
                }
            }
            return new PortRange(from, to);
        }

        private int portNumber() {
            int start = pos;
            long n = number();
            if (n < 1 || n > 65535) {
                throw error(start, "a port is from 1 to 65535");
            }
            return (int) n;
        }

        private long number() {
            int start = pos;
            while (pos < line.length() && Character.isDigit(line.charAt(pos)) && pos - start < 12) {
                pos++;
            }
            if (pos == start) {
                throw error(start, "expected a number");
            }
            return Long.parseLong(line, start, pos, 10);
        }

        /** A keyword: lower-case letters. */
        private String word(String what) {
            int start = pos;
            while (pos < line.length() && line.charAt(pos) >= 'a' && line.charAt(pos) <= 'z') {
                pos++;
            }
            if (pos == start) {
                throw error(start, "expected " + what);
            }
            return line.substring(start, pos);
        }

        /** The ':' before an option's value, and the spaces after it. */
        private void value() {
            expect(':', "':' before the value");
            skipSpaces();
        }

        /**
         * A quoted string: escapes \" \\ \|, and in contents |hex bytes| (pairs of hex digits,
         * spaces between them allowed). Text is encoded in UTF-8.
         */
        private byte[] quoted(boolean hexAllowed) {
            int open = pos;
            expect('"', "'\"' opening a quoted string");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StringBuilder text = new StringBuilder();
            while (true) {
                if (pos >= line.length()) {
                    throw error(open, "the quoted string is not closed");
                }
                char c = line.charAt(pos);
                if (c == '"') {
                    pos++;
                    break;
                }
                if (c == '\\') {
                    char escaped = pos + 1 < line.length() ? line.charAt(pos + 1) : ' ';
                    if (escaped != '"' && escaped != '\\' && escaped != '|') {
                        throw error(pos, "unknown escape (use \\\", \\\\ or \\|)");
                    }
                    text.append(escaped);
                    pos += 2;
                } else if (c == '|' && hexAllowed) {
                    out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
                    text.setLength(0);
                    hexBytes(out);
                } else if (c < 0x20 || c == 0x7F) {
                    throw error(pos, "control character in a quoted string (write it as |hex|)");
                } else {
                    text.append(c);
                    pos++;
                }
            }
            out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        }

        private void hexBytes(ByteArrayOutputStream out) {
            int open = pos++;
            int count = 0;
            while (true) {
                skipSpaces();
                if (pos >= line.length() || line.charAt(pos) == '"') {
                    throw error(open, "the |hex| sequence is not closed");
                }
                if (line.charAt(pos) == '|') {
                    pos++;
                    break;
                }
                int high = pos + 1 < line.length() ? Character.digit(line.charAt(pos), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(line.charAt(pos + 1), 16);
                if (low < 0) {
                    throw error(pos, "expected two hex digits or '|' in a |hex| sequence");
                }
                out.write(high << 4 | low);
                pos += 2;
                count++;
            }
            if (count == 0) {
                throw error(open, "empty |hex| sequence");
            }
        }

        private void expect(char c, String what) {
            if (peek() != c) {
                throw error(pos, "expected " + what);
            }
            pos++;
        }

        private char peek() {
            return pos < line.length() ? line.charAt(pos) : '\0';
        }

        private void skipSpaces() {
            while (pos < line.length() && (line.charAt(pos) == ' ' || line.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private SignatureSyntaxException error(int at, String detail) {
            return new SignatureSyntaxException(origin, lineNumber, at + 1, detail);
        }
    }
}
