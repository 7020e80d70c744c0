package io.ringfence.benchmarks;

import static io.ringfence.benchmarks.SyntheticDataCenter.REVISION;

import io.ringfence.benchmarks.SyntheticDataCenter.RuleRef;
import io.ringfence.benchmarks.SyntheticDataCenter.Size;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Criterion;
import io.ringfence.model.Direction;
import io.ringfence.model.Group;
import io.ringfence.model.Host;
import io.ringfence.model.MacAddress;
import io.ringfence.model.Policy;
import io.ringfence.model.PortRange;
import io.ringfence.model.Protocol;
import io.ringfence.model.Rule;
import io.ringfence.model.Service;
import io.ringfence.model.ServiceEntry;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Builds the model of a {@link SyntheticDataCenter}, drawing everything from one seeded
 * {@link Random} in a fixed order.
 *
 * <h2>Inventory</h2>
 * Apps of three tiers (web, app, db) of uneven sizes (log-normal, every tier of every app has a
 * VM), each in one environment (prod, dev or test) and owned by one team; some are PCI, some run
 * Windows; the first few are infrastructure (DNS, NTP, directory, monitoring, jump hosts...).
 * VMs land on random hosts. A VM's tags: {@code app:}, {@code tier:}, {@code env:}, {@code team:},
 * a component of its app ({@code comp:}), and at random {@code pci:yes}, {@code backup:},
 * {@code monitored:yes}. Its first vNIC sits in its app's segment with an IPv4 address in the
 * app's block of 10.0.0.0/9 and an IPv6 address in fd00::/16; its second in segment
 * {@code mgmt}, addressed from 10.128.0.0/9 and fd01::/16.
 *
 * <h2>Groups</h2>
 * Per app: the app (one tag), its tiers (app AND tier) and its components (one tag); global ones
 * (environments, tiers, environment AND tier, OS, teams, PCI, quarantine); 10% nested (business
 * services nesting app groups, tier slices across apps, nests of nests, a few with static VMs or
 * a CIDR); 5% CIDR-based (external networks, or app blocks); 1% with exclusions.
 *
 * <h2>Rules</h2>
 * Emergency: quarantine and blocklists. Infrastructure: teams to infrastructure apps (and
 * monitoring, jump hosts, backup back to the teams). Environment: isolation of prod from dev and
 * test, PCI fencing, team-to-team APIs. Application (97%): per app, web to app to db, then a mix
 * of intra-app, cross-app, nested-group, CIDR and exclusion-group rules, mostly with one service.
 */
final class SyntheticModelGenerator {

    static final String APP_TAG = "app:";
    static final String COMPONENT_TAG = "comp:";
    static final List<String> TIERS = List.of("web", "app", "db");
    static final List<String> ENVS = List.of("prod", "dev", "test");

    private static final String TIER_TAG = "tier:";
    private static final String ENV_TAG = "env:";
    private static final String TEAM_TAG = "team:";
    private static final double[] TIER_WEIGHTS = {0.40, 0.35, 0.25};
    private static final double[] ENV_WEIGHTS = {0.50, 0.30, 0.20};
    /** Environments, tiers, environment x tier, two OSes, quarantine, PCI. */
    private static final int GLOBAL_GROUPS = 3 + 3 + 9 + 2 + 1 + 1;
    private static final List<String> INFRA_KINDS = List.of("dns", "ntp", "directory", "monitoring", "jump",
            "logging", "backup", "patching", "ci", "bastion");
    /** Services of infrastructure kinds, in the order of {@link #INFRA_KINDS}. */
    private static final List<List<String>> INFRA_SERVICES = List.of(List.of("svc-dns"), List.of("svc-ntp"),
            List.of("svc-ldap", "svc-ldaps", "svc-kerberos"), List.of("svc-prometheus", "svc-snmp", "svc-icmp-echo"),
            List.of("svc-ssh", "svc-rdp"), List.of("svc-syslog"), List.of("svc-nfs", "svc-smb"),
            List.of("svc-https"), List.of("svc-ssh", "svc-https"), List.of("svc-ssh"));
    /** Infrastructure kinds that open connections to the teams' VMs rather than receive them. */
    private static final Set<String> INFRA_INITIATORS = Set.of("monitoring", "jump", "backup", "ci", "bastion");
    /** Services of traffic inside and between apps. */
    static final List<String> APP_SERVICES = List.of("svc-https", "svc-http", "svc-tomcat", "svc-grpc", "svc-kafka",
            "svc-amqp", "svc-elasticsearch", "svc-redis", "svc-memcached", "svc-web-alt");
    private static final List<String> DB_SERVICES = List.of("svc-mysql", "svc-postgres", "svc-oracle", "svc-mssql",
            "svc-mongodb", "svc-redis");

    private final Size size;
    private final Random random;
    private final ModelSnapshot.Builder model = ModelSnapshot.EMPTY.toBuilder().revision(REVISION);

    // the plan
    private final int apps;
    private final int teams;
    private final int infraApps;
    private final int nestedGroups;
    private final int cidrGroups;
    private final int exclusionGroups;
    private final int[] componentsOfApp;
    /** Policies per category, in category order. */
    private final int[] policiesOfCategory;

    // apps
    private final int[] envOfApp;
    private final int[] teamOfApp;
    private final boolean[] pciApp;
    private final boolean[] windowsApp;
    private final List<List<Integer>> appsOfTeam = new ArrayList<>();
    private final List<List<String>> vmsOfApp = new ArrayList<>();
    private int appHostBits;

    // what rules and changes pick from
    private final List<String> hostIds = new ArrayList<>();
    private final List<String> vmIds = new ArrayList<>();
    private final List<String> tierGroupIds = new ArrayList<>();
    private final List<String> externalCidrGroups = new ArrayList<>();
    private final List<String> cidrGroupIds = new ArrayList<>();
    private final List<String> exclusionGroupIds = new ArrayList<>();
    private final List<String> nestedGroupIds = new ArrayList<>();
    private final List<RuleRef> editableRules = new ArrayList<>();
    private final List<List<Rule>> rulesOfPolicy = new ArrayList<>();
    private int ruleCounter;

    SyntheticModelGenerator(Size size, long seed) {
        this.size = size;
        this.random = new Random(seed);
        this.apps = size.apps();
        this.teams = Math.max(2, apps / 10);
        this.infraApps = Math.max(1, Math.min(INFRA_KINDS.size(), apps / 50));
        this.nestedGroups = (int) Math.round(size.groups() * 0.10);
        this.cidrGroups = (int) Math.round(size.groups() * 0.05);
        this.exclusionGroups = Math.max(1, (int) Math.round(size.groups() * 0.01));
        int components = size.groups() - 4 * apps - GLOBAL_GROUPS - teams - nestedGroups - cidrGroups - exclusionGroups;
        if (components < 0 || nestedGroups < 1 || cidrGroups < 2) {
            throw new IllegalArgumentException(size.groups() + " groups are too few for " + apps + " apps: need at least "
                    + (4 * apps + GLOBAL_GROUPS + teams + nestedGroups + cidrGroups + exclusionGroups));
        }
        this.componentsOfApp = new int[apps];
        for (int a = 0; a < apps; a++) {
            componentsOfApp[a] = components / apps + (a < components % apps ? 1 : 0);
        }
        this.envOfApp = new int[apps];
        this.teamOfApp = new int[apps];
        this.pciApp = new boolean[apps];
        this.windowsApp = new boolean[apps];
        int p = size.policies();
        int emergency = Math.max(1, (int) Math.round(p * 0.025));
        int infra = Math.max(1, (int) Math.round(p * 0.10));
        int environment = Math.max(1, (int) Math.round(p * 0.125));
        this.policiesOfCategory = new int[] {emergency, infra, environment, p - emergency - infra - environment};
    }

    SyntheticDataCenter generate() {
        hosts();
        apps();
        vms();
        services();
        groups();
        policies();
        return new SyntheticDataCenter(size, model.build(), vmIds, hostIds, tierGroupIds, APP_SERVICES, editableRules,
                componentsOfApp, nestedGroupIds.get(0));
    }

    // ---- names

    static String appName(int app) {
        return String.format("app-%04d", app);
    }

    static int appIndex(String appName) {
        return Integer.parseInt(appName.substring("app-".length()));
    }

    static String componentName(int app, int component) {
        return appName(app) + "-c" + component;
    }

    private static String teamName(int team) {
        return String.format("team-%03d", team);
    }

    private static String appGroup(int app) {
        return "g-" + appName(app);
    }

    private static String tierGroup(int app, int tier) {
        return "g-" + appName(app) + "-" + TIERS.get(tier);
    }

    private static String componentGroup(int app, int component) {
        return "g-" + componentName(app, component);
    }

    private static String teamGroup(int team) {
        return "g-" + teamName(team);
    }

    private static String envGroup(int env) {
        return "g-env-" + ENVS.get(env);
    }

    // ---- inventory

    private void hosts() {
        for (int h = 0; h < size.hosts(); h++) {
            String id = "host-" + h;
            hostIds.add(id);
            model.put(new Host(id, id, IpPrefix.host(IpFamily.IPV4, 0, 0x6440_0000L + h + 1), null, REVISION));
        }
    }

    private void apps() {
        for (int t = 0; t < teams; t++) {
            appsOfTeam.add(new ArrayList<>());
        }
        for (int a = 0; a < apps; a++) {
            envOfApp[a] = a < infraApps ? 0 : weighted(ENV_WEIGHTS);
            teamOfApp[a] = random.nextInt(teams);
            appsOfTeam.get(teamOfApp[a]).add(a);
            pciApp[a] = a >= infraApps && random.nextDouble() < 0.10;
            windowsApp[a] = random.nextDouble() < 0.20;
            vmsOfApp.add(new ArrayList<>());
        }
    }

    private void vms() {
        // every tier of every app has a VM; the rest go to apps of log-normal sizes
        List<Integer> appOfVm = new ArrayList<>();
        for (int a = 0; a < apps; a++) {
            for (int t = 0; t < TIERS.size(); t++) {
                appOfVm.add(a);
            }
        }
        double[] cumulative = new double[apps];
        double total = 0;
        for (int a = 0; a < apps; a++) {
            total += Math.exp(random.nextGaussian() * 0.8);
            cumulative[a] = total;
        }
        while (appOfVm.size() < size.vms()) {
            int a = Arrays.binarySearch(cumulative, random.nextDouble() * total);
            appOfVm.add(Math.min(apps - 1, a < 0 ? -a - 1 : a));
        }
        int[] sizeOfApp = new int[apps];
        appOfVm.forEach(a -> sizeOfApp[a]++);
        int largest = Arrays.stream(sizeOfApp).max().orElse(0);
        appHostBits = Math.max(4, 32 - Integer.numberOfLeadingZeros(largest + 1));
        if (((long) apps << appHostBits) > (1L << 23)) {
            throw new IllegalArgumentException("apps do not fit in 10.0.0.0/9 in blocks of /" + (32 - appHostBits));
        }
        Collections.shuffle(appOfVm, random);
        int[] placed = new int[apps];
        for (int v = 0; v < appOfVm.size(); v++) {
            int a = appOfVm.get(v);
            int index = placed[a]++;
            int tier = index < TIERS.size() ? index : weighted(TIER_WEIGHTS);
            String id = "vm-" + v;
            vmIds.add(id);
            vmsOfApp.get(a).add(id);
            model.put(vm(v, id, a, tier, index));
        }
    }

    private Vm vm(int v, String id, int app, int tier, int indexInApp) {
        List<String> tags = new ArrayList<>();
        tags.add(APP_TAG + appName(app));
        tags.add(TIER_TAG + TIERS.get(tier));
        tags.add(ENV_TAG + ENVS.get(envOfApp[app]));
        tags.add(TEAM_TAG + teamName(teamOfApp[app]));
        if (componentsOfApp[app] > 0) {
            tags.add(COMPONENT_TAG + componentName(app, random.nextInt(componentsOfApp[app])));
        }
        if (pciApp[app]) {
            tags.add("pci:yes");
        }
        double backup = random.nextDouble();
        if (backup < 0.7) {
            tags.add(backup < 0.4 ? "backup:daily" : "backup:weekly");
        }
        if (random.nextDouble() < 0.8) {
            tags.add("monitored:yes");
        }
        long appBase = 0x0A00_0000L + ((long) app << appHostBits);
        Vnic data = new Vnic(id + "-nic0", new MacAddress(0x0200_0000_0000L + 2L * v), List.of(
                IpPrefix.host(IpFamily.IPV4, 0, appBase + indexInApp + 1),
                IpPrefix.host(IpFamily.IPV6, 0xfd00_0000_0000_0000L | app, indexInApp + 1)), "seg-" + appName(app));
        Vnic mgmt = new Vnic(id + "-nic1", new MacAddress(0x0200_0000_0001L + 2L * v), List.of(
                IpPrefix.host(IpFamily.IPV4, 0, 0x0A80_0000L + 16 + v),
                IpPrefix.host(IpFamily.IPV6, 0xfd01_0000_0000_0000L, v + 1L)), "mgmt");
        String name = appName(app) + "-" + TIERS.get(tier) + "-" + String.format("%03d", indexInApp);
        return new Vm(id, name, hostIds.get(random.nextInt(hostIds.size())), windowsApp[app] ? "windows" : "linux",
                tags, List.of(data, mgmt), REVISION);
    }

    private IpPrefix appBlock(int app) {
        return new IpPrefix(IpFamily.IPV4, 0, 0x0A00_0000L + ((long) app << appHostBits), 32 - appHostBits);
    }

    // ---- services

    private void services() {
        service("svc-http", "HTTP", tcp(80));
        service("svc-https", "HTTPS", tcp(443));
        service("svc-ssh", "SSH", tcp(22));
        service("svc-rdp", "RDP", tcp(3389));
        service("svc-dns", "DNS", udp(53), tcp(53));
        service("svc-ntp", "NTP", udp(123));
        service("svc-ldap", "LDAP", tcp(389));
        service("svc-ldaps", "LDAPS", tcp(636));
        service("svc-kerberos", "Kerberos", tcp(88), udp(88));
        service("svc-syslog", "Syslog", udp(514), tcp(6514));
        service("svc-snmp", "SNMP", new ServiceEntry(Protocol.UDP, List.of(new PortRange(161, 162)), List.of(), null, null));
        service("svc-prometheus", "Prometheus", tcp(9090), tcp(9100));
        service("svc-icmp-echo", "Ping", new ServiceEntry(Protocol.ICMP, List.of(), List.of(), 8, 0),
                new ServiceEntry(Protocol.ICMPV6, List.of(), List.of(), 128, 0));
        service("svc-nfs", "NFS", tcp(2049), udp(2049));
        service("svc-smb", "SMB", tcp(445));
        service("svc-smtp", "SMTP", tcp(25), tcp(587));
        service("svc-tomcat", "Tomcat", new ServiceEntry(Protocol.TCP, List.of(new PortRange(8080, 8090)), List.of(), null, null));
        service("svc-web-alt", "HTTPS alternate", tcp(8443));
        service("svc-grpc", "gRPC", tcp(50051));
        service("svc-kafka", "Kafka", new ServiceEntry(Protocol.TCP, List.of(new PortRange(9092, 9094)), List.of(), null, null));
        service("svc-zookeeper", "ZooKeeper", new ServiceEntry(Protocol.TCP,
                List.of(PortRange.of(2181), new PortRange(2888, 2888), new PortRange(3888, 3888)), List.of(), null, null));
        service("svc-amqp", "AMQP", tcp(5671), tcp(5672));
        service("svc-elasticsearch", "Elasticsearch", new ServiceEntry(Protocol.TCP, List.of(new PortRange(9200, 9300)),
                List.of(), null, null));
        service("svc-mysql", "MySQL", tcp(3306));
        service("svc-postgres", "PostgreSQL", tcp(5432));
        service("svc-oracle", "Oracle", tcp(1521));
        service("svc-mssql", "SQL Server", tcp(1433));
        service("svc-mongodb", "MongoDB", new ServiceEntry(Protocol.TCP, List.of(new PortRange(27017, 27019)), List.of(),
                null, null));
        service("svc-redis", "Redis", tcp(6379));
        service("svc-memcached", "Memcached", tcp(11211), udp(11211));
    }

    private void service(String id, String name, ServiceEntry... entries) {
        model.put(new Service(id, name, null, List.of(entries), REVISION));
    }

    private static ServiceEntry tcp(int port) {
        return new ServiceEntry(Protocol.TCP, List.of(PortRange.of(port)), List.of(), null, null);
    }

    private static ServiceEntry udp(int port) {
        return new ServiceEntry(Protocol.UDP, List.of(PortRange.of(port)), List.of(), null, null);
    }

    // ---- groups

    private void groups() {
        for (int e = 0; e < ENVS.size(); e++) {
            group(envGroup(e), tag(ENV_TAG + ENVS.get(e)));
        }
        for (int t = 0; t < TIERS.size(); t++) {
            group("g-tier-" + TIERS.get(t), tag(TIER_TAG + TIERS.get(t)));
        }
        for (String env : ENVS) {
            for (String tier : TIERS) {
                group("g-" + env + "-" + tier, new Criterion.All(List.of(tag(ENV_TAG + env), tag(TIER_TAG + tier))));
            }
        }
        group("g-os-linux", new Criterion.Condition(Criterion.Attribute.OS, Criterion.Operator.EQUALS, "linux"));
        group("g-os-windows", new Criterion.Condition(Criterion.Attribute.OS, Criterion.Operator.EQUALS, "windows"));
        group("g-quarantine", tag("quarantine:yes"));
        group("g-pci", tag("pci:yes"));
        for (int t = 0; t < teams; t++) {
            group(teamGroup(t), tag(TEAM_TAG + teamName(t)));
        }
        for (int a = 0; a < apps; a++) {
            group(appGroup(a), tag(APP_TAG + appName(a)));
            for (int t = 0; t < TIERS.size(); t++) {
                tierGroupIds.add(tierGroup(a, t));
                group(tierGroup(a, t), new Criterion.All(List.of(tag(APP_TAG + appName(a)), tag(TIER_TAG + TIERS.get(t)))));
            }
            for (int c = 0; c < componentsOfApp[a]; c++) {
                group(componentGroup(a, c), tag(COMPONENT_TAG + componentName(a, c)));
            }
        }
        for (int i = 0; i < cidrGroups; i++) {
            cidrGroup(i);
        }
        for (int i = 0; i < exclusionGroups; i++) {
            exclusionGroup(i);
        }
        for (int i = 0; i < nestedGroups; i++) {
            nestedGroup(i);
        }
    }

    private void cidrGroup(int i) {
        String id = String.format("g-cidr-%04d", i);
        List<IpPrefix> addresses = new ArrayList<>();
        if (i % 2 == 0) {
            // an external network: partners, on-premises ranges, the internet's documentation blocks
            int e = i / 2;
            switch (e % 3) {
                case 0 -> addresses.add(new IpPrefix(IpFamily.IPV4, 0, 0xC0A8_0000L + ((e / 3 % 256L) << 8), 24));
                case 1 -> addresses.add(new IpPrefix(IpFamily.IPV4, 0,
                        0xAC10_0000L + ((e / 3 % 16L) << 16) + ((e / 48 % 256L) << 8), 24));
                default -> addresses.add(new IpPrefix(IpFamily.IPV6, 0x2001_0db8_0000_0000L | ((e % 65536L) << 16), 0, 48));
            }
            if (random.nextDouble() < 0.3) {
                addresses.add(new IpPrefix(IpFamily.IPV4, 0, 0xCB00_7100L + (e % 16L) * 16, 28));
            }
            externalCidrGroups.add(id);
        } else {
            // the block of an app, or its first quarter
            IpPrefix block = appBlock(random.nextInt(apps));
            addresses.add(random.nextBoolean() ? block
                    : new IpPrefix(IpFamily.IPV4, 0, block.low(), block.length() + 2));
        }
        cidrGroupIds.add(id);
        model.put(new Group(id, "CIDR " + i, null, null, List.of(), addresses, List.of(), List.of(), List.of(), List.of(),
                REVISION));
    }

    private void exclusionGroup(int i) {
        String id = String.format("g-excl-%04d", i);
        int a = random.nextInt(apps);
        Group g = switch (i % 4) {
            case 0 -> new Group(id, appName(a) + " but its database", null, null, List.of(), List.of(),
                    List.of(appGroup(a)), List.of(), List.of(tierGroup(a, 2)), List.of(), REVISION);
            case 1 -> new Group(id, teamName(teamOfApp[a]) + " prod, not PCI", null,
                    new Criterion.All(List.of(tag(TEAM_TAG + teamName(teamOfApp[a])), tag(ENV_TAG + "prod"))),
                    List.of(), List.of(), List.of(), List.of(), List.of("g-pci"), List.of(), REVISION);
            case 2 -> new Group(id, appName(a) + " but one VM", null, null, List.of(), List.of(), List.of(appGroup(a)),
                    List.of(vmsOfApp.get(a).get(0)), List.of(), List.of(), REVISION);
            default -> {
                IpPrefix block = appBlock(a);
                yield new Group(id, appName(a) + " block but its first /28", null, null, List.of(), List.of(block),
                        List.of(), List.of(), List.of(), List.of(new IpPrefix(IpFamily.IPV4, 0, block.low(), 28)), REVISION);
            }
        };
        exclusionGroupIds.add(id);
        model.put(g);
    }

    private void nestedGroup(int i) {
        String id = String.format("g-nest-%04d", i);
        Set<String> nested = new LinkedHashSet<>();
        List<String> vms = new ArrayList<>();
        List<IpPrefix> addresses = new ArrayList<>();
        if (i == 0) {
            // the shape the membership benchmark has always measured
            for (int t = 0; t < TIERS.size(); t++) {
                nested.add(tierGroup(0, t));
            }
            addresses.add(IpPrefix.parse("10.255.0.0/28"));
        } else {
            double kind = random.nextDouble();
            if (kind < 0.5) {
                // a business service: apps of one team
                List<Integer> teamApps = appsOfTeam.get(random.nextInt(teams));
                int n = 2 + random.nextInt(3);
                for (int k = 0; k < n; k++) {
                    nested.add(appGroup(teamApps.size() > 1 ? teamApps.get(random.nextInt(teamApps.size()))
                            : random.nextInt(apps)));
                }
            } else if (kind < 0.75) {
                // one tier across apps
                int tier = random.nextInt(TIERS.size());
                int n = 2 + random.nextInt(4);
                for (int k = 0; k < n; k++) {
                    nested.add(tierGroup(random.nextInt(apps), tier));
                }
            } else if (kind < 0.9) {
                // nests of nests: only earlier groups, so there is no cycle
                int n = 1 + random.nextInt(2);
                for (int k = 0; k < n; k++) {
                    nested.add(nestedGroupIds.get(random.nextInt(nestedGroupIds.size())));
                }
                nested.add(appGroup(random.nextInt(apps)));
            } else {
                int a = random.nextInt(apps);
                nested.add(componentsOfApp[a] > 0 ? componentGroup(a, random.nextInt(componentsOfApp[a])) : appGroup(a));
                nested.add(tierGroup(random.nextInt(apps), random.nextInt(TIERS.size())));
                int n = 1 + random.nextInt(2);
                for (int k = 0; k < n; k++) {
                    String vm = vmIds.get(random.nextInt(vmIds.size()));
                    if (!vms.contains(vm)) {
                        vms.add(vm);
                    }
                }
            }
            if (random.nextDouble() < 0.1) {
                addresses.add(new IpPrefix(IpFamily.IPV4, 0, 0x0AFE_0000L + (i % 4096L) * 16, 28));
            }
        }
        nestedGroupIds.add(id);
        model.put(new Group(id, "nested " + i, null, null, vms, addresses, new ArrayList<>(nested), List.of(), List.of(),
                List.of(), REVISION));
    }

    private void group(String id, Criterion criteria) {
        model.put(new Group(id, id.substring(2), null, criteria, List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), REVISION));
    }

    private static Criterion tag(String value) {
        return new Criterion.Condition(Criterion.Attribute.TAG, Criterion.Operator.EQUALS, value);
    }

    // ---- policies and rules

    private void policies() {
        int p = size.policies();
        int emergency = policiesOfCategory[0];
        int infra = policiesOfCategory[1];
        int environment = policiesOfCategory[2];
        int application = policiesOfCategory[3];
        // ANY on one side is rare in a real data center: a rule from ANY lands an OUT entry on every
        // vNIC (and one to ANY an IN entry), so they are kept to ~0.1% (ANY source, IN only: the
        // public entry points) and ~0.2% (ANY destination, OUT only: egress) of the rules
        int anySource = Math.max(2, (int) Math.round(size.rules() / 1000.0));
        int anyDestination = Math.max(2, (int) Math.round(size.rules() / 500.0));
        int blocklist = Math.max(emergency - 1, (int) Math.round(size.rules() * 0.0005));
        int infraRules = Math.max(infra, (int) Math.round(size.rules() * 0.01));
        int environmentRules = Math.max(environment + 2, (int) Math.round(size.rules() * 0.015));
        int applicationRules = size.rules() - 2 - blocklist - infraRules - environmentRules;
        if (applicationRules < application) {
            throw new IllegalArgumentException(size.rules() + " rules are too few for " + p + " policies");
        }
        for (int i = 0; i < p; i++) {
            rulesOfPolicy.add(new ArrayList<>());
        }
        emergencyRules(0, emergency, blocklist);
        infrastructureRules(emergency, infra, infraRules);
        environmentRules(emergency + infra, environment, environmentRules);
        applicationRules(emergency + infra + environment, application, applicationRules, anySource - 1,
                anyDestination - 1);
        int index = 0;
        for (Category category : Category.values()) {
            for (int k = 0; k < policiesOfCategory[category.ordinal()]; k++, index++) {
                model.put(new Policy(policyId(index), category.name().toLowerCase() + " " + k, null, category,
                        (k + 1) * 10, rulesOfPolicy.get(index), REVISION));
            }
        }
    }

    private void emergencyRules(int first, int count, int blocklist) {
        add(first, "quarantined VMs talk to no one", List.of("g-quarantine"), false, List.of(), false, List.of(),
                List.of(), Direction.OUT, Action.DROP, true);
        add(first, "no one talks to quarantined VMs", List.of(), false, List.of("g-quarantine"), false, List.of(),
                List.of(), Direction.IN, Action.DROP, true);
        for (int i = 0; i < blocklist; i++) {
            int policy = first + (count == 1 ? 0 : 1 + i % (count - 1));
            add(policy, "blocklist " + i, List.of(externalCidrGroups.get(i % externalCidrGroups.size())), false,
                    List.of(envGroup(0)), false, List.of(), List.of(), Direction.IN, Action.DROP, true);
        }
    }

    private void infrastructureRules(int first, int count, int rules) {
        for (int i = 0; i < rules; i++) {
            int app = i % infraApps;
            String kind = INFRA_KINDS.get(app);
            String clients = random.nextDouble() < 0.1 ? envGroup(random.nextInt(ENVS.size()))
                    : teamGroup(random.nextInt(teams));
            List<String> services = List.of(pick(INFRA_SERVICES.get(app)));
            boolean initiator = INFRA_INITIATORS.contains(kind);
            add(first + i % count, kind + " " + i, List.of(initiator ? appGroup(app) : clients), false,
                    List.of(initiator ? clients : appGroup(app)), false, services, List.of(), Direction.IN_OUT,
                    Action.ALLOW, false);
        }
    }

    private void environmentRules(int first, int count, int rules) {
        add(first, "dev stays out of prod", List.of(envGroup(1)), false, List.of(envGroup(0)), false, List.of(),
                List.of(), Direction.IN_OUT, Action.DROP, true);
        add(first, "test stays out of prod", List.of(envGroup(2)), false, List.of(envGroup(0)), false, List.of(),
                List.of(), Direction.IN_OUT, Action.DROP, true);
        add(first, "PCI fence", List.of("g-pci"), true, List.of("g-pci"), false, List.of(), List.of("g-pci"),
                Direction.IN, Action.REJECT, true);
        for (int i = 3; i < rules; i++) {
            int from = random.nextInt(teams);
            int to = (from + 1 + random.nextInt(teams - 1)) % teams;
            List<String> appliedTo = random.nextDouble() < 0.2 ? List.of(teamGroup(to)) : List.of();
            add(first + i % count, teamName(from) + " to " + teamName(to) + " APIs", List.of(teamGroup(from)), false,
                    List.of(teamGroup(to)), false, List.of(pick(List.of("svc-https", "svc-grpc"))), appliedTo,
                    Direction.IN_OUT, Action.ALLOW, false);
        }
    }

    private void applicationRules(int first, int count, int rules, int anySource, int anyDestination) {
        List<Integer> candidates = new ArrayList<>();
        for (int a = infraApps; a < apps; a++) {
            candidates.add(a);
        }
        Collections.shuffle(candidates, random);
        Set<Integer> publicApps = new LinkedHashSet<>(candidates.subList(0, Math.min(anySource, candidates.size())));
        Collections.shuffle(candidates, random);
        Set<Integer> egressApps = new LinkedHashSet<>(candidates.subList(0, Math.min(anyDestination, candidates.size())));
        for (int a = 0; a < apps; a++) {
            int policy = first + a % count;
            int n = rules / apps + (a < rules % apps ? 1 : 0);
            int made = 0;
            String dbService = DB_SERVICES.get(a % DB_SERVICES.size());
            if (publicApps.contains(a) && made < n) {
                add(policy, appName(a) + " public entry", List.of(), false, List.of(tierGroup(a, 0)), false,
                        List.of("svc-https", "svc-http"), List.of(), Direction.IN, Action.ALLOW, false);
                made++;
            }
            if (egressApps.contains(a) && made < n) {
                add(policy, appName(a) + " egress", List.of(tierGroup(a, 1)), false, List.of(), false,
                        List.of("svc-https"), List.of(), Direction.OUT, Action.ALLOW, false);
                made++;
            }
            if (made < n) {
                addEditable(policy, appName(a) + " web to app", tierGroup(a, 0), tierGroup(a, 1), "svc-tomcat");
                made++;
            }
            if (made < n) {
                addEditable(policy, appName(a) + " app to db", tierGroup(a, 1), tierGroup(a, 2), dbService);
                made++;
            }
            for (; made < n; made++) {
                applicationRule(policy, a);
            }
        }
    }

    /** One rule of app {@code a}, of a random kind. */
    private void applicationRule(int policy, int a) {
        double kind = random.nextDouble();
        String name = appName(a) + " rule " + ruleCounter;
        if (kind < 0.35) {
            int tier = random.nextInt(TIERS.size());
            if (random.nextDouble() < 0.6) {
                addEditable(policy, name, ownGroup(a), tierGroup(a, tier), pick(APP_SERVICES));
            } else {
                randomRule(policy, name, ownGroup(a), ownGroup(a));
            }
        } else if (kind < 0.65) {
            int b = relatedApp(a);
            if (random.nextDouble() < 0.6) {
                addEditable(policy, name, ownGroup(a), tierGroup(b, random.nextInt(TIERS.size())),
                        pick(List.of("svc-https", "svc-grpc", "svc-kafka", "svc-amqp")));
            } else {
                randomRule(policy, name, ownGroup(a), ownGroup(b));
            }
        } else if (kind < 0.75) {
            int b = relatedApp(a);
            randomRule(policy, name, appGroup(a), random.nextBoolean() ? appGroup(b) : tierGroup(b, 0));
        } else if (kind < 0.85) {
            String nested = pick(nestedGroupIds);
            if (random.nextBoolean()) {
                randomRule(policy, name, nested, ownGroup(a));
            } else {
                randomRule(policy, name, ownGroup(a), nested);
            }
        } else if (kind < 0.90) {
            String cidr = pick(cidrGroupIds);
            if (random.nextBoolean()) {
                randomRule(policy, name, cidr, tierGroup(a, 0));
            } else {
                randomRule(policy, name, tierGroup(a, 1), cidr);
            }
        } else if (kind < 0.93) {
            randomRule(policy, name, pick(exclusionGroupIds), ownGroup(a));
        } else if (kind < 0.95) {
            randomRule(policy, name, teamGroup(random.nextInt(teams)), tierGroup(a, 0));
        } else if (kind < 0.96) {
            // the database talks to its own app only
            add(policy, name, List.of(tierGroup(a, 2)), false, List.of(appGroup(a)), true, List.of(),
                    List.of(tierGroup(a, 2)), Direction.OUT, Action.DROP, true);
        } else {
            randomRule(policy, name, ownGroup(a), ownGroup(a));
        }
    }

    /** A rule with random direction, action, services, applied-to, logging and disabled flag. */
    private void randomRule(int policy, String name, String source, String destination) {
        double d = random.nextDouble();
        Direction direction = d < 0.8 ? Direction.IN_OUT : d < 0.9 ? Direction.IN : Direction.OUT;
        double x = random.nextDouble();
        Action action = x < 0.9 ? Action.ALLOW : x < 0.97 ? Action.DROP : Action.REJECT;
        double s = random.nextDouble();
        List<String> services = s < 0.8 ? List.of(pick(APP_SERVICES))
                : s < 0.9 ? new ArrayList<>(new LinkedHashSet<>(List.of(pick(APP_SERVICES), pick(APP_SERVICES))))
                : List.of();
        List<String> appliedTo = random.nextDouble() < 0.1 ? List.of(destination) : List.of();
        boolean logged = random.nextDouble() < 0.05;
        add(policy, name, List.of(source), false, List.of(destination), false, services, appliedTo, direction, action,
                logged, random.nextDouble() < 0.02);
    }

    /** An enabled ALLOW rule from a group to a tier group with one service: the kind of rule the edit change picks. */
    private void addEditable(int policy, String name, String source, String tierGroup, String service) {
        Rule r = add(policy, name, List.of(source), false, List.of(tierGroup), false, List.of(service), List.of(),
                Direction.IN_OUT, Action.ALLOW, random.nextDouble() < 0.05, false);
        editableRules.add(new RuleRef(policyId(policy), r.id()));
    }

    private void add(int policy, String name, List<String> sources, boolean sourcesNegated, List<String> destinations,
                     boolean destinationsNegated, List<String> services, List<String> appliedTo, Direction direction,
                     Action action, boolean logged) {
        add(policy, name, sources, sourcesNegated, destinations, destinationsNegated, services, appliedTo, direction,
                action, logged, false);
    }

    /** Adds a rule after the last of the policy. */
    private Rule add(int policy, String name, List<String> sources, boolean sourcesNegated, List<String> destinations,
                     boolean destinationsNegated, List<String> services, List<String> appliedTo, Direction direction,
                     Action action, boolean logged, boolean disabled) {
        List<Rule> rules = rulesOfPolicy.get(policy);
        String id = String.format("r-%05d", ++ruleCounter);
        Rule r = new Rule(id, name, (rules.size() + 1) * 10, sources, sourcesNegated, destinations, destinationsNegated,
                services, appliedTo, direction, action, logged, disabled, false, "synthetic", REVISION);
        rules.add(r);
        return r;
    }

    /** The id of a policy, by its index over all categories (in category order). */
    private String policyId(int index) {
        String[] prefixes = {"p-emergency-", "p-infra-", "p-env-", "p-app-"};
        int category = 0;
        int k = index;
        while (k >= policiesOfCategory[category]) {
            k -= policiesOfCategory[category++];
        }
        return String.format("%s%03d", prefixes[category], k);
    }

    /** A tier group (60%) or a component group of app {@code a}. */
    private String ownGroup(int a) {
        if (componentsOfApp[a] > 0 && random.nextDouble() >= 0.6) {
            return componentGroup(a, random.nextInt(componentsOfApp[a]));
        }
        return tierGroup(a, random.nextInt(TIERS.size()));
    }

    /** Another app: of the same team half the time. */
    private int relatedApp(int a) {
        List<Integer> team = appsOfTeam.get(teamOfApp[a]);
        if (team.size() > 1 && random.nextBoolean()) {
            int b = team.get(random.nextInt(team.size()));
            if (b != a) {
                return b;
            }
        }
        int b = random.nextInt(apps - 1);
        return b >= a ? b + 1 : b;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private int weighted(double[] weights) {
        double x = random.nextDouble();
        for (int i = 0; i < weights.length - 1; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
