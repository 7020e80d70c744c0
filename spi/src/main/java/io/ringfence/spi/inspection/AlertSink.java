package io.ringfence.spi.inspection;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a session reports what it finds. The framework keeps recent alerts per definition, readable
 * over the REST API, and logs them. Cheap and non-blocking: may be called from {@code inspect}.
 */
@ProviderType
public interface AlertSink {

    /** Reports a finding about the session's flow. */
    void alert(Alert alert);
}
