package io.ringfence.target.nftables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.dataplane.sim.SimulatedDataCenter;
import io.ringfence.dataplane.sim.VmMover;
import io.ringfence.enforcement.TargetCounterService;
import io.ringfence.enforcement.internal.EnforcementManager;
import io.ringfence.enforcement.internal.ReconcilerSettings;
import io.ringfence.manager.ServiceProfileValidator;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.rest.internal.Authenticator;
import io.ringfence.rest.internal.InsertionRuntime;
import io.ringfence.rest.internal.RestApplication;
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
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The manager's stack as the REST tests run it: Jersey on the JDK's HTTP server on loopback, the
 * model manager over the JDBC store on an H2 file, the policy compiler listening to the manager;
 * one user, admin. The simulated data plane only answers the API's traffic questions here: it is
 * not attached to the compiler, the nftables target is; the rule statistics add the counters that
 * {@code targets} read from it.
 */
final class RestStack implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    final ModelManager manager;
    final PolicyCompiler compiler;
    private final ScheduledExecutorService feeds = Executors.newSingleThreadScheduledExecutor();
    private final EnforcementManager realization;

    RestStack(Path dir, TargetCounterService targets) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("ringfence").toAbsolutePath());
        new SchemaMigrator(ds).migrate();
        manager = new ModelManager(new JdbcModelStore(ds), Clock.systemUTC());
        compiler = new PolicyCompiler(manager.snapshot());
        manager.addListener(compiler);
        SimulatedDataCenter dataPlane = new SimulatedDataCenter(compiler, new SimulatedDataCenter.Config(1000, null));
        Authenticator admin = (user, password) -> user.equals("admin") && new String(password).equals("admin")
                ? Optional.of(new Authenticator.User("admin", Set.of("admin"))) : Optional.empty();
        // the test feeds its nftables target itself: the API's realization sees no target
        realization = new EnforcementManager(compiler, (vm, vnic) -> Optional.empty(), ReconcilerSettings.DEFAULT,
                feeds, Clock.systemUTC(), Math::random);
        base = URI.create("http://127.0.0.1:" + freePort() + "/api/v1/");
        server = JdkHttpServerFactory.createHttpServer(base.resolve("/api/"), RestApplication.create(manager, manager,
                compiler, dataPlane, new VmMover(manager, manager, compiler, dataPlane),
                ServiceProfileValidator.ACCEPT_ALL, InsertionRuntime.NONE, targets, realization,
                /* no virtual appliances */ null, admin,
                RestApplication.Settings.DEFAULT));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POST, expecting 201; the created object. */
    JsonNode create(String path, String json) {
        return expect(201, send("POST", path, json, null));
    }

    /** GET, expecting 200. */
    JsonNode get(String path) {
        return expect(200, send("GET", path, null, null));
    }

    /** PUT with the object's current ETag, expecting 200. */
    JsonNode replace(String path, String json) {
        HttpResponse<String> current = send("GET", path, null, null);
        expect(200, current);
        return expect(200, send("PUT", path, json, current.headers().firstValue("ETag").orElseThrow()));
    }

    private HttpResponse<String> send(String method, String path, String json, String ifMatch) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8)))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode expect(int status, HttpResponse<String> r) {
        if (r.statusCode() != status) {
            throw new AssertionError(r.request().method() + " " + r.uri() + ": expected " + status + ", got "
                    + r.statusCode() + " " + r.body());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        realization.close();
        feeds.shutdownNow();
    }
}
