package io.ringfence.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.dataplane.sim.SimulatedDataCenter;
import io.ringfence.dataplane.sim.VmMover;
import io.ringfence.enforcement.TargetCounterService;
import io.ringfence.enforcement.appliance.internal.ApplianceManager;
import io.ringfence.enforcement.appliance.internal.TargetPublisher;
import io.ringfence.enforcement.internal.EnforcementManager;
import io.ringfence.enforcement.internal.ReconcilerSettings;
import io.ringfence.manager.ServiceProfileValidator;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Kind;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.store.jdbc.JdbcModelStore;
import io.ringfence.store.jdbc.SchemaMigrator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The API served for real: Jersey on the JDK's HTTP server on loopback, the model manager over
 * the JDBC store on an H2 file database, the policy compiler and a simulated data plane listening to the manager, the
 * enforcement targets' feeds (no target until a test or an appliance adds one), the registry of virtual appliances,
 * JAAS authentication; and an HTTP client to talk to it.
 */
final class ApiServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final URI base;
    final ModelManager manager;
    final PolicyCompiler compiler;
    /** The data plane of the model's hosts; no scheduled expiry (tests call {@code expire}). */
    final SimulatedDataCenter dataPlane;
    /** The enforcement targets' feeds: none until a test or an appliance adds one; quick retries, no anti-entropy. */
    final EnforcementManager enforcement;
    private final ScheduledExecutorService feeds = Executors.newSingleThreadScheduledExecutor();
    /**
     * The registry of virtual appliances (lease {@link #APPLIANCE_LEASE}), whose sessions the
     * enforcement feeds like any target. No scheduled lease check: tests call {@code expireLeases}.
     */
    final ApplianceManager appliances;
    static final Duration APPLIANCE_LEASE = Duration.ofSeconds(60);
    /** The registry's time: the real one, which a test may move ahead to run out a lease without waiting. */
    final ShiftedClock applianceClock = new ShiftedClock();

    ApiServer(Path dir, RestApplication.Settings settings) {
        this(dir, settings, ServiceProfileValidator.ACCEPT_ALL);
    }

    /** With {@code profiles} standing in for the partners' check of service profiles, and no service-insertion runtime. */
    ApiServer(Path dir, RestApplication.Settings settings, ServiceProfileValidator profiles) {
        this(dir, settings, profiles, InsertionRuntime.NONE);
    }

    /** With the check of service profiles and the service-insertion runtime the API gets, and no enforcement targets. */
    ApiServer(Path dir, RestApplication.Settings settings, ServiceProfileValidator profiles, InsertionRuntime insertion) {
        this(dir, settings, profiles, insertion, TargetCounterService.NONE);
    }

    /** With the rule counters of enforcement targets too. */
    ApiServer(Path dir, RestApplication.Settings settings, ServiceProfileValidator profiles, InsertionRuntime insertion,
              TargetCounterService targets) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("ringfence").toAbsolutePath());
        new SchemaMigrator(ds).migrate();
        manager = new ModelManager(new JdbcModelStore(ds), Clock.systemUTC());
        compiler = new PolicyCompiler(manager.snapshot());
        manager.addListener(compiler);
        dataPlane = new SimulatedDataCenter(compiler, new SimulatedDataCenter.Config(10_000, null));
        manager.addListener(dataPlane);
        enforcement = new EnforcementManager(compiler, (vm, vnic) -> manager.snapshot().find(Kind.VM, vm)
                .flatMap(v -> v.vnics().stream().filter(n -> n.id().equals(vnic)).findFirst()),
                new ReconcilerSettings(Duration.ofSeconds(5), Duration.ofMillis(20), Duration.ofMillis(200),
                        Duration.ofMinutes(5), Duration.ZERO), feeds, Clock.systemUTC(), Math::random);
        appliances = new ApplianceManager(host -> manager.find(Kind.HOST, host).isPresent(), new TargetPublisher() {
            @Override
            public void publish(EnforcementTarget target) {
                enforcement.addTarget(target);
            }

            @Override
            public void withdraw(EnforcementTarget target) {
                enforcement.removeTarget(target);
            }
        }, applianceClock, APPLIANCE_LEASE, Duration.ofSeconds(30));
        int port = freePort();
        base = URI.create("http://127.0.0.1:" + port + "/api/");
        server = JdkHttpServerFactory.createHttpServer(base, RestApplication.create(manager, manager, compiler,
                dataPlane, new VmMover(manager, manager, compiler, dataPlane), profiles, insertion, targets, enforcement,
                appliances,
                new JaasAuthenticator("test", TestUsers.configuration(), Duration.ofSeconds(60), Clock.systemUTC()),
                settings));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        appliances.close();
        enforcement.close();
        feeds.shutdownNow();
        dataPlane.close();
    }

    /** A request builder for {@code path} (relative to /api/) as {@code user} (null: anonymous). */
    HttpRequest.Builder request(String path, String user) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
        if (user != null) {
            String password = TestUsers.USERS.containsKey(user) ? TestUsers.USERS.get(user)[0] : "wrong";
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply get(String path, String user) {
        return send(request(path, user).GET().build());
    }

    Reply post(String path, String user, String json) {
        return send(request(path, user).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    Reply put(String path, String user, String json, String ifMatch) {
        HttpRequest.Builder b = request(path, user).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json));
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        return send(b.build());
    }

    Reply delete(String path, String user, String ifMatch) {
        HttpRequest.Builder b = request(path, user).DELETE();
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        return send(b.build());
    }

    /** The system clock plus an offset that only grows. */
    static final class ShiftedClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void advance(Duration d) {
            offset = offset.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    /** An HTTP response with its body parsed when it is JSON. */
    record Reply(HttpResponse<String> response) {
        int status() {
            return response.statusCode();
        }

        String body() {
            return response.body();
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status() + "): " + response.body(), e);
            }
        }

        @Override
        public String toString() {
            return status() + " " + response.headers().map() + " " + body();
        }
    }
}
