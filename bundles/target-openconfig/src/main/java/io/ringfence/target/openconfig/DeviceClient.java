package io.ringfence.target.openconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    DeviceClient(OpenConfigConfiguration config) {
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.resource = config.aclResource();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (config.username() + ":" + config.password()).getBytes(StandardCharsets.UTF_8));
        this.connectTimeout = config.connectTimeout();
        this.requestTimeout = config.requestTimeout();
    }

    /**
     * Replaces the device's ACL configuration with a document. The whole exchange, the answer's body
     * included, must end within the connect and request timeouts: a device that stalls mid-answer
     * must not hold the target's only thread.
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
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request,
                answer -> HttpResponse.BodySubscribers.fromSubscriber(new FirstBytes(MAX_ERROR_BODY), FirstBytes::bytes));
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(connectTimeout.plus(requestTimeout).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return Optional.of(timeout());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpConnectTimeoutException) {
                return Optional.of(new TargetError("timeout", "no connection to the device at " + resource
                        + " within " + connectTimeout, true));
            }
            if (cause instanceof HttpTimeoutException) {
                return Optional.of(timeout());
            }
            String why = cause instanceof ConnectException ? "cannot connect to the device at " + resource
                    : "no answer from the device at " + resource;
            return Optional.of(new TargetError("unreachable", why + (cause.getMessage() == null ? ""
                    : ": " + cause.getMessage()), true));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return Optional.of(new TargetError("unreachable", "interrupted while pushing to " + resource, true));
        }
        int status = response.statusCode();
        return status / 100 == 2 ? Optional.empty() : Optional.of(error(status, detail(response.body())));
    }

    private TargetError timeout() {
        return new TargetError("timeout", "the device at " + resource + " did not answer within " + requestTimeout,
                true);
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

    /** Keeps the first bytes of a body and drops the rest, so that an answer cannot fill the heap. */
    private static final class FirstBytes implements Flow.Subscriber<List<ByteBuffer>> {

        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final int max;

        FirstBytes(int max) {
            this.max = max;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                int n = Math.min(b.remaining(), max - kept.size());
                if (n > 0) {
                    byte[] chunk = new byte[n];
                    b.get(chunk);
                    kept.write(chunk, 0, n);
                }
            }
        }

        @Override
        public void onError(Throwable failure) {
            // the exchange fails with it: nothing to keep
        }

        @Override
        public void onComplete() {
            // fromSubscriber's finisher reads the bytes
        }

        byte[] bytes() {
            return kept.toByteArray();
        }
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
