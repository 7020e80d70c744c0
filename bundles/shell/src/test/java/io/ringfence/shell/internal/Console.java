package io.ringfence.shell.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What the commands a test runs print, as the console would show it. */
final class Console {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    /** {@code command}, printing here. */
    <C extends RingfenceCommand> C attach(C command) {
        command.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return command;
    }

    String text() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    JsonNode json() throws Exception {
        return new ObjectMapper().readTree(text());
    }

    void clear() {
        printed.reset();
    }
}
