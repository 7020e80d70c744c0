package io.ringfence.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** What failsafe passes to the tests, and free loopback ports. */
final class TestEnvironment {

    private TestEnvironment() {
    }

    /** A system property set by maven-failsafe (see the itests pom). */
    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set (run the tests through maven-failsafe)");
        }
        return value;
    }

    /** A TCP port free on 127.0.0.1 right now. */
    static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
