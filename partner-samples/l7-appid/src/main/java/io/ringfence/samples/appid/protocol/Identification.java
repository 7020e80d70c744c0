package io.ringfence.samples.appid.protocol;

import java.util.Objects;

/**
 * What a flow was identified as.
 *
 * @param app    the application
 * @param host   the host name the client asked for (HTTP Host, TLS server name, DNS question), in
 *               canonical form (see {@link HostName}), or null when the protocol carries none
 * @param detail a short note for admins (ALPN protocols, SSH software, HTTP method, DNS query type), or null
 */
public record Identification(App app, String host, String detail) {

    /** Nothing recognized. */
    public static final Identification UNKNOWN = new Identification(App.UNKNOWN, null, null);

    public Identification {
        Objects.requireNonNull(app, "app");
    }

    /** One line for logs and alerts, e.g. {@code tls host=www.example.com (alpn=h2,http/1.1)}. */
    public String describe() {
        return app.id() + (host == null ? "" : " host=" + host) + (detail == null ? "" : " (" + detail + ")");
    }
}
