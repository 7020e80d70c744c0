package io.ringfence.itests;

import static io.ringfence.itests.TestEnvironment.freeLoopbackPort;
import static io.ringfence.itests.TestEnvironment.required;
import static org.awaitility.Awaitility.await;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.time.Duration;
import javax.inject.Inject;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.BundleContext;

/**
 * Boots the Ringfence distribution (the tar.gz built by ringfence-distribution) in Pax Exam's Karaf
 * container, with a random loopback HTTP port. Test methods run inside the container.
 *
 * <p>{@link #config()} runs in the test JVM; everything else runs in the container, where the
 * port is known from the system property {@value #HTTP_PORT_PROPERTY}.
 */
public abstract class RingfenceTestSupport {

    static final String HTTP_PORT_PROPERTY = "ringfence.itest.http.port";
    /** Bound for the container to serve the API after the probe starts. */
    static final Duration API_TIMEOUT = Duration.ofSeconds(90);

    @Inject
    protected BundleContext bundleContext;

    @Configuration
    public Option[] config() {
        String karafVersion = required("karaf.version");
        int httpPort = freeLoopbackPort();
        File unpackDir = new File(required("ringfence.itest.work.dir"), "exam");
        return OptionUtils.combine(new Option[] {
            karafDistributionConfiguration()
                    // the archive Maven resolved: the reactor's in `mvn verify`, not a stale one from ~/.m2
                    .frameworkUrl(new File(required("ringfence.distribution.archive")).toURI().toString())
                    .name("Ringfence")
                    .karafVersion(karafVersion)
                    .unpackDirectory(unpackDir)
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            logLevel(LogLevel.INFO),
            // HTTP on a free loopback port instead of $[env:RINGFENCE_HTTP_PORT;default=8181]
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port",
                    Integer.toString(httpPort)),
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.listening.addresses",
                    "127.0.0.1"),
            // resolve the probe's bundles from Maven's repository (offline after the first run)
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                    required("maven.repo.local")),
            systemProperty(HTTP_PORT_PROPERTY).value(Integer.toString(httpPort)),
            systemProperty("java.rmi.server.hostname").value("127.0.0.1"),
            vmOptions(java17Options(karafVersion)),
            mavenBundle("org.hamcrest", "hamcrest", required("hamcrest.version")),
            mavenBundle("org.awaitility", "awaitility", required("awaitility.version")),
        }, additionalOptions());
    }

    /** What a test class adds to (or changes in) the distribution as booted; runs in the test JVM. */
    protected Option[] additionalOptions() {
        return new Option[0];
    }

    /** The module flags bin/karaf passes on Java 9+; Pax Exam's launcher does not add them. */
    static String[] java17Options(String karafVersion) {
        return new String[] {
            "--add-reads=java.xml=java.logging",
            "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
            "--patch-module=java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar",
            "--patch-module=java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar",
            "--add-opens=java.base/java.security=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.naming/javax.naming.spi=ALL-UNNAMED",
            "--add-opens=java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
            "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
            "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
            "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED",
        };
    }

    /** A client for the container's API (inside the container). */
    protected static ApiClient api() {
        return new ApiClient(Integer.parseInt(required(HTTP_PORT_PROPERTY)));
    }

    /** Waits until an authenticated GET of {@code path} answers 200. */
    protected static void awaitApi(ApiClient api, String path) {
        await("GET " + path + " answers 200")
                .atMost(API_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> api.get(path, ApiClient.Credentials.ADMIN).status() == 200);
    }
}
