package io.ringfence.target.nftables;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A hypervisor in network namespaces, made and unmade by the test: a "host" namespace with a
 * Linux bridge, and one namespace per VM whose eth0 is a veth pair with its other end on the
 * bridge. Every name starts with {@link #PREFIX}, so that what a crashed run left behind is found
 * and removed first. Only the host namespace's nftables are touched, never the root namespace's.
 */
final class Namespaces implements AutoCloseable {

    static final String PREFIX = "rfnft-";
    static final String HOST = PREFIX + "hv";
    static final String BRIDGE = "br0";
    /** Every command gets this long before it is killed. */
    static final long COMMAND_SECONDS = 20;

    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> agents = new ArrayList<>();

    /** A VM: its namespace, its eth0's host side on the bridge, its addresses, its traffic agent. */
    record Vm(String name, String namespace, String hostSide, String ipv4, String ipv6, Agent agent) {
    }

    /** Fails with what is missing, rather than skipping: CI runs this as root with the tools installed. */
    static void checkPrerequisites() {
        String uid = run("id", "-u").strip();
        if (!uid.equals("0")) {
            throw new IllegalStateException("the nftables namespace test needs root (it creates network namespaces);"
                    + " run the build as root, e.g. .ci/run in CI");
        }
        for (String tool : List.of("ip", "nft", "ping")) {
            if (!commandExists(tool)) {
                throw new IllegalStateException("the nftables namespace test needs " + tool
                        + " (packages iproute2, nftables, iputils-ping; .ci/run installs them)");
            }
        }
    }

    /** Removes the namespaces a previous run left behind. */
    static void removeLeftovers() {
        for (String line : run("ip", "netns", "list").split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (name.startsWith(PREFIX)) {
                run("ip", "netns", "delete", name);
            }
        }
    }

    /** The host namespace with its bridge; bridged IPv4/IPv6 traffic passes the IP hooks (br_netfilter). */
    void createHost() {
        addNamespace(HOST);
        ip(HOST, "link", "add", BRIDGE, "type", "bridge");
        ip(HOST, "link", "set", BRIDGE, "up");
        Path sysctl = Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables");
        if (!Files.exists(sysctl)) {
            run("modprobe", "br_netfilter");
        }
        for (String key : List.of("bridge-nf-call-iptables", "bridge-nf-call-ip6tables")) {
            String out = runIn(HOST, "sysctl", "-w", "net.bridge." + key + "=1");
            if (!out.contains("= 1")) {
                throw new IllegalStateException("cannot enable net.bridge." + key + " (br_netfilter): " + out);
            }
        }
    }

    /** Routes in the host namespace to the VMs' subnets, no address: what REJECT needs to answer (see README). */
    void routeToVms(String ipv4Subnet, String ipv6Subnet) {
        ip(HOST, "route", "add", ipv4Subnet, "dev", BRIDGE);
        ip(HOST, "-6", "route", "add", ipv6Subnet, "dev", BRIDGE);
    }

    /** A VM namespace on the bridge, with its agent started. */
    Vm createVm(String name, String hostSide, String ipv4, String ipv6, String javaClassPath) {
        String ns = PREFIX + name;
        addNamespace(ns);
        ip(HOST, "link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip(HOST, "link", "set", hostSide, "master", BRIDGE, "up");
        ip(ns, "link", "set", "lo", "up");
        ip(ns, "addr", "add", ipv4, "dev", "eth0");
        ip(ns, "addr", "add", ipv6, "dev", "eth0", "nodad");
        ip(ns, "link", "set", "eth0", "up");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            Process p = new ProcessBuilder("ip", "netns", "exec", ns, java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                    "-cp", javaClassPath, TrafficAgent.class.getName())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            agents.add(p);
            return new Vm(name, ns, hostSide, ipv4.substring(0, ipv4.indexOf('/')), ipv6.substring(0, ipv6.indexOf('/')),
                    new Agent(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void addNamespace(String name) {
        run("ip", "netns", "add", name);
        namespaces.add(name);
    }

    private static void ip(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        run(cmd.toArray(String[]::new));
    }

    /** A command in a namespace; its output. */
    static String runIn(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    /** Runs a command to its end (bounded); fails with its output when it fails. */
    static String run(String... cmd) {
        Result r = exec(cmd);
        if (r.status() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.status() + "): " + r.output());
        }
        return r.output();
    }

    record Result(int status, String output) {
    }

    /** Runs a command to its end (bounded), whatever its status; stdout and stderr together. */
    static Result exec(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            });
            if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + COMMAND_SECONDS + " s");
            }
            return new Result(p.exitValue(), out.get(COMMAND_SECONDS, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + e, e);
        }
    }

    static boolean commandExists(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** Stops the agents and deletes the namespaces (and with them the veths, the bridge and the tables). */
    @Override
    public void close() {
        agents.forEach(Process::destroyForcibly);
        for (String ns : namespaces) {
            exec("ip", "netns", "delete", ns);
        }
    }

    /** A traffic agent, one command at a time. */
    static final class Agent {
        private final PrintWriter in;
        private final BufferedReader out;

        Agent(Process p) {
            this.in = new PrintWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8), true);
            this.out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Sends a command and waits for its answer; every command bounds its own time. */
        synchronized String send(String command) {
            in.println(command);
            try {
                String answer = out.readLine();
                if (answer == null) {
                    throw new IllegalStateException("the traffic agent ended before answering " + command);
                }
                return answer;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
