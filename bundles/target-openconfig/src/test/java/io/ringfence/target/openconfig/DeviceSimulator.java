package io.ringfence.target.openconfig;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network device's RESTCONF server, for tests: a real HTTP server on 127.0.0.1 that takes
 * {@code PUT /restconf/data/openconfig-acl:acl} the way a device does — basic authentication,
 * {@code application/yang-data+json}, the document checked against the model ({@link
 * AclModelValidator}) — and answers RFC 8040 errors. It can be told to fail every push with a
 * status, to hang, or to be down (its port closed), and it keeps the last document it accepted.
 */
final class DeviceSimulator implements AutoCloseable {

    static final String RESOURCE = "/restconf/data/openconfig-acl:acl";
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final String username;
    private final String password;
    private final Set<String> interfaces;
    private final int port;
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "device-simulator");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();

    private HttpServer server;
    private volatile int failWith;
    private volatile CountDownLatch hang;
    private volatile boolean hangMidAnswer;
    private volatile JsonNode state;
    private volatile byte[] lastBody;

    /**
     * @param interfaces the device's interface names, which interface-ref must name
     */
    DeviceSimulator(String username, String password, Set<String> interfaces) throws IOException {
        this.username = username;
        this.password = password;
        this.interfaces = Set.copyOf(interfaces);
        this.server = listen(0);
        this.port = server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>}, the target's base URL. */
    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Answers every request with this status (and an RFC 8040 error) until {@link #recover()}. */
    void failWith(int status) {
        failWith = status;
    }

    /** Holds every request unanswered until {@link #recover()}. */
    void hang() {
        hang = new CountDownLatch(1);
    }

    /** Answers every request with the headers of an error and a first few bytes, then holds until {@link #recover()}. */
    void hangMidAnswer() {
        hangMidAnswer = true;
        hang();
    }

    /** Back to normal service. */
    void recover() {
        failWith = 0;
        hangMidAnswer = false;
        CountDownLatch h = hang;
        hang = null;
        if (h != null) {
            h.countDown();
        }
    }

    /** Down: the port is closed, connections are refused. */
    synchronized void stop() {
        recover();
        server.stop(0);
    }

    /** Up again on the same port. */
    synchronized void start() throws IOException {
        server = listen(port);
    }

    /** The last document accepted, or null. */
    JsonNode state() {
        return state;
    }

    /** The body of the last request accepted, byte for byte. */
    byte[] lastBody() {
        return lastBody;
    }

    /** Requests that reached the handler, answered or not. */
    int received() {
        return received.get();
    }

    int accepted() {
        return accepted.get();
    }

    @Override
    public synchronized void close() {
        stop();
        handlers.shutdownNow();
    }

    private HttpServer listen(int onPort) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 16);
        s.setExecutor(handlers);
        s.createContext("/", this::handle);
        s.start();
        return s;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            received.incrementAndGet();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            CountDownLatch h = hang;
            if (h != null) {
                if (hangMidAnswer) {
                    exchange.sendResponseHeaders(500, 1000);
                    exchange.getResponseBody().write("{\"ietf-restconf:errors\"".getBytes(StandardCharsets.UTF_8));
                    exchange.getResponseBody().flush();
                }
                try {
                    h.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return; // no answer: the connection closes
            }
            if (failWith != 0) {
                error(exchange, failWith, "application", "operation-failed", null, "simulated failure");
                return;
            }
            if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"restconf\"");
                error(exchange, 401, "protocol", "access-denied", null, "authentication failed");
                return;
            }
            if (!exchange.getRequestURI().getRawPath().equals(RESOURCE)) {
                error(exchange, 404, "protocol", "invalid-value", null, "no such resource: "
                        + exchange.getRequestURI().getRawPath());
                return;
            }
            if (!exchange.getRequestMethod().equals("PUT")) {
                exchange.getResponseHeaders().add("Allow", "PUT");
                error(exchange, 405, "protocol", "operation-not-supported", null, "this device takes PUT only");
                return;
            }
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type == null || !type.split(";")[0].trim().equalsIgnoreCase(DeviceClient.MEDIA_TYPE)) {
                error(exchange, 415, "protocol", "invalid-value", null, "unsupported media type " + type
                        + ", expected " + DeviceClient.MEDIA_TYPE);
                return;
            }
            JsonNode document;
            try {
                document = JSON.readTree(body);
            } catch (IOException e) {
                error(exchange, 400, "protocol", "malformed-message", null, "malformed JSON: "
                        + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
                return;
            }
            List<AclModelValidator.Problem> problems = AclModelValidator.validate(document, interfaces);
            if (!problems.isEmpty()) {
                errors(exchange, 400, problems);
                return;
            }
            boolean created = state == null;
            state = document;
            lastBody = body;
            accepted.incrementAndGet();
            exchange.sendResponseHeaders(created ? 201 : 204, -1);
        }
    }

    private boolean authorized(String header) {
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return expected.equals(header);
    }

    private static void error(HttpExchange exchange, int status, String type, String tag, String path, String message)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("ietf-restconf:errors").putArray("error").addObject();
        error.put("error-type", type).put("error-tag", tag);
        if (path != null) {
            error.put("error-path", path);
        }
        error.put("error-message", message);
        send(exchange, status, root);
    }

    private static void errors(HttpExchange exchange, int status, List<AclModelValidator.Problem> problems)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putObject("ietf-restconf:errors").putArray("error");
        for (AclModelValidator.Problem p : problems) {
            list.addObject().put("error-type", "application").put("error-tag", p.tag()).put("error-path", p.path())
                    .put("error-message", p.message());
        }
        send(exchange, status, root);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", DeviceClient.MEDIA_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
