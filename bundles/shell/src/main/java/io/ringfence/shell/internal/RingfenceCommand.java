package io.ringfence.shell.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ringfence.model.json.ModelJson;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * What every ringfence command shares: the {@code --json} option, which prints the records behind
 * the table through the model's mapper (the one the REST API writes with), for scripts; and where
 * output goes (the session's console; a test sets {@link #out}).
 */
abstract class RingfenceCommand implements Action {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Option(name = "--json", description = "Print JSON instead of a table")
    boolean json;

    /** Null: the console of the session running the command. */
    PrintStream out;

    @Override
    public final Object execute() throws Exception {
        run();
        return null;
    }

    abstract void run() throws Exception;

    PrintStream out() {
        return out != null ? out : System.out;
    }

    /** Prints {@code value} as JSON when {@code --json} is given, else the table. */
    void print(Object value, ShellTable table) throws JsonProcessingException {
        if (json) {
            out().println(ModelJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } else {
            table.print(out());
        }
    }

    /** A refusal the console shows as the command's error. */
    static IllegalArgumentException refused(String message) {
        return new IllegalArgumentException(message);
    }

    static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    static String orDash(Object o) {
        return o == null ? "-" : o.toString();
    }
}
