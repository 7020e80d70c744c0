package io.ringfence.samples.appliance;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/** The appliance's side of the REST protocol, over the JDK's HTTP client. */
final class ManagerClient {

    /** The manager does not know this session any more (404, 409): register again. */
    static final class SessionLost extends Exception {
        private static final long serialVersionUID = 1L;

        SessionLost(String message) {
            super(message);
        }
    }

    /**
     * The appliance registered again since this process did (another process of it took over): this
     * one must stop, not register again, which would end the other's session in turn.
     */
    static final class Superseded extends Exception {
        private static final long serialVersionUID = 1L;

        Superseded(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI appliances;
    private final String authorization;
    private final String id;
    /** The session of the last registration; sent with every poll and acknowledgement. */
    private volatile String session;

    /**
     * @param api the manager's API, e.g. {@code http://manager:8181/api/}
     */
    ManagerClient(URI api, String user, String password, String id) {
        this.appliances = api.resolve("v1/enforcement/appliances/");
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.id = id;
    }

    /** Registers (again): a new session, whose first update is the full state. */
    void register(Wire.Registration registration) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request(appliances, Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(registration))).build());
        if (r.statusCode() != 201) {
            throw new IOException("registration refused: " + describe(r));
        }
        session = JSON.readValue(r.body(), Wire.Registered.class).session();
    }

    /** The next update after {@code after}, waiting up to {@code wait}; empty when none came. */
    Optional<Wire.Update> poll(long after, Duration wait)
            throws IOException, InterruptedException, SessionLost, Superseded {
        URI uri = appliances.resolve(id + "/updates?after=" + after + "&wait=" + wait.toMillis() + "ms"
                + "&session=" + session);
        HttpResponse<String> r = send(request(uri, wait.plusSeconds(10)).GET().build());
        return switch (r.statusCode()) {
            case 200 -> Optional.of(JSON.readValue(r.body(), Wire.Update.class));
            case 204 -> Optional.empty();
            case 404, 409 -> throw lost(r);
            default -> throw new IOException("poll failed: " + describe(r));
        };
    }

    /**
     * @return false when the manager no longer waits for this update (it gave up on it and sent
     *         another): pull again
     */
    boolean acknowledge(Wire.Acknowledgement ack) throws IOException, InterruptedException, SessionLost, Superseded {
        HttpResponse<String> r = send(request(appliances.resolve(id + "/acknowledgements?session=" + session),
                Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(ack))).build());
        return switch (r.statusCode()) {
            case 204 -> true;
            case 409 -> {
                if (describe(r).contains("unknown-sequence")) {
                    yield false;
                }
                throw lost(r);
            }
            case 404 -> throw lost(r);
            default -> throw new IOException("acknowledgement refused: " + describe(r));
        };
    }

    /** The session is lost (register again), unless another registration ended it (stop: thrown). */
    private static SessionLost lost(HttpResponse<String> r) throws Superseded {
        String why = describe(r);
        if (why.contains("session-ended")) {
            throw new Superseded(why);
        }
        return new SessionLost(why);
    }

    private HttpRequest.Builder request(URI uri, Duration timeout) {
        return HttpRequest.newBuilder(uri).timeout(timeout).header("Authorization", authorization)
                .header("Accept", "application/json");
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String describe(HttpResponse<String> r) {
        try {
            Wire.Problem p = JSON.readValue(r.body(), Wire.Problem.class);
            return r.statusCode() + " " + p.type() + ": " + p.detail();
        } catch (IOException | RuntimeException e) {
            return r.statusCode() + " " + r.body();
        }
    }
}
