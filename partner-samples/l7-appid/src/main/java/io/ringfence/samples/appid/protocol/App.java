package io.ringfence.samples.appid.protocol;

import java.util.Locale;

/** The applications this function tells apart. */
public enum App {
    HTTP, TLS, SSH, DNS,
    /** Nothing recognized within the byte budget, or the bytes were malformed. */
    UNKNOWN;

    /** The name admins use in profiles and alerts: {@code http}, {@code tls}, {@code ssh}, {@code dns}, {@code unknown}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The application named {@code id}, or null. */
    public static App ofId(String id) {
        for (App app : values()) {
            if (app.id().equals(id)) {
                return app;
            }
        }
        return null;
    }
}
