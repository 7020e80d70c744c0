package io.ringfence.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * A small blocking client for the Ringfence REST API on loopback, used both inside the Pax Exam
 * container and from the test JVM. Every call has a bounded timeout.
 */
final class ApiClient {

    /** HTTP Basic credentials; {@link #ANONYMOUS} sends none. */
    record Credentials(String user, String password) {
        static final Credentials ANONYMOUS = new Credentials(null, null);
        static final Credentials ADMIN = new Credentials("admin", "admin");
        static final Credentials AUDITOR = new Credentials("auditor", "auditor");
    }

    /** A response with its body read as text. */
    record Response(int status, java.net.http.HttpHeaders headers, String body) {

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (HTTP " + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + headers.map() + " " + body;
        }
    }

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private final URI base;
    private final HttpClient http;

    /** A client for {@code http://127.0.0.1:<port>}. */
    ApiClient(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** {@code path} absolute ("/api/v1/groups") or a full URI (a Location header). */
    URI resolve(String path) {
        return base.resolve(path);
    }

    Response get(String path, Credentials credentials) {
        return send(request(path, credentials).GET());
    }

    Response post(String path, Credentials credentials, String json) {
        return send(request(path, credentials)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    /** PUT conditional on {@code ifMatch} (an ETag as the server sent it). */
    Response put(String path, Credentials credentials, String ifMatch, String json) {
        return send(request(path, credentials)
                .header("Content-Type", "application/json")
                .header("If-Match", ifMatch)
                .PUT(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    Response delete(String path, Credentials credentials) {
        return send(request(path, credentials).DELETE());
    }

    /**
     * POST, requiring 201 with a Location header; returns the path of the created object (without
     * scheme, host and port, so that it stays valid when the server restarts on another port).
     */
    String create(String path, Credentials credentials, String json) {
        Response created = post(path, credentials, json);
        if (created.status() != 201 || created.header("Location").isEmpty()) {
            throw new AssertionError("POST " + path + " " + json + " -> expected 201 with a Location, got " + created);
        }
        return resolve(created.header("Location").get()).getRawPath();
    }

    private HttpRequest.Builder request(String path, Credentials credentials) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (credentials.user() != null) {
            String token = credentials.user() + ":" + credentials.password();
            builder.header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        }
        return builder;
    }

    private Response send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + request.method() + " " + request.uri(), e);
        }
    }
}
