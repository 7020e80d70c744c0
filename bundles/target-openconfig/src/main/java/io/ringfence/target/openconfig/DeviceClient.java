package io.ringfence.target.openconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The device's RESTCONF server as the target uses it: one {@code PUT} of the whole
 * {@code openconfig-acl:acl} data resource per update, and the answer turned into a {@link
 * TargetError} with the device's own words (RFC 8040 {@code ietf-restconf:errors}) when it is not
 * a success. Blocking; called from the target's single worker thread only.
 *
 * <p>The credentials live in a prepared {@code Authorization} header and go nowhere else: not in
 * messages, not in logs.
 */
final class DeviceClient {

    /** RFC 8040's media type for YANG data encoded as JSON (RFC 7951). */
    static final String MEDIA_TYPE = "application/yang-data+json";

    /** Enough of an error body for its messages; a device has no business sending more. */
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int MAX_MESSAGE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI resource;
    private final String authorization;
    private final Duration requestTimeout;

    DeviceClient(OpenConfigConfiguration config) {
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.resource = config.aclResource();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (config.username() + ":" + config.password()).getBytes(StandardCharsets.UTF_8));
        this.requestTimeout = config.requestTimeout();
    }

    /**
     * Replaces the device's ACL configuration with a document.
     *
     * @return empty when the device took it (2xx), else why not
     */
    Optional<TargetError> replace(byte[] document) {
        HttpRequest request = HttpRequest.newBuilder(resource).timeout(requestTimeout)
                .header("Content-Type", MEDIA_TYPE)
                .header("Accept", MEDIA_TYPE)
                .header("Authorization", authorization)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(document))
                .build();
        int status;
        String detail;
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream body = response.body()) {
                if (status / 100 == 2) {
                    return Optional.empty();
                }
                detail = detail(body.readNBytes(MAX_ERROR_BODY));
            }
        } catch (HttpTimeoutException e) {
            return Optional.of(new TargetError("timeout", "the device at " + resource + " did not answer within "
                    + (e instanceof HttpConnectTimeoutException ? "the connect timeout" : requestTimeout),
                    true));
        } catch (ConnectException e) {
            return Optional.of(new TargetError("unreachable", "cannot connect to the device at " + resource
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), true));
        } catch (IOException e) {
            return Optional.of(new TargetError("unreachable", "no answer from the device at " + resource + ": " + e,
                    true));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(new TargetError("unreachable", "interrupted while pushing to " + resource, true));
        }
        return Optional.of(error(status, detail));
    }

    /**
     * 4xx: the device refused this document or these credentials, and will again (408 and 429 excepted:
     * it was busy); 5xx: it failed, and may not next time.
     */
    private TargetError error(int status, String detail) {
        String answered = "the device answered " + status + ": " + detail;
        if (status == 401 || status == 403) {
            return new TargetError("rejected-by-device", "the device refused the configured credentials ("
                    + status + "): " + detail, false);
        }
        if (status == 408 || status == 429 || status / 100 == 5) {
            return new TargetError("device-error", answered, true);
        }
        return new TargetError("rejected-by-device", answered, false);
    }

    /** The RFC 8040 error messages of a body, or what it says if it is not that; bounded, one line. */
    private static String detail(byte[] body) {
        String text;
        try {
            JsonNode errors = JSON.readTree(body).path("ietf-restconf:errors").path("error");
            List<String> messages = new ArrayList<>();
            for (JsonNode e : errors) {
                String message = e.path("error-message").asText(e.path("error-tag").asText("error"));
                String path = e.path("error-path").asText("");
                messages.add(path.isEmpty() ? message : message + " (at " + path + ")");
            }
            text = messages.isEmpty() ? new String(body, StandardCharsets.UTF_8) : String.join("; ", messages);
        } catch (IOException e) {
            text = new String(body, StandardCharsets.UTF_8);
        }
        text = text.replaceAll("\\p{Cntrl}+", " ").strip();
        if (text.isEmpty()) {
            return "no error details";
        }
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "..." : text;
    }
}
