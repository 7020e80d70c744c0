package io.ringfence.benchmarks;

import io.ringfence.manager.ModelAdminService;
import io.ringfence.model.Criterion;
import io.ringfence.model.Group;
import io.ringfence.model.Host;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.net.IpPrefix;
import java.util.List;
import java.util.Random;

/** A seeded synthetic inventory: hosts, VMs with tags and two vNICs each, tag-based and nested groups. */
final class SyntheticDataCenter {
    private SyntheticDataCenter() {
    }

    static void populate(ModelAdminService admin, int hosts, int vms, int apps, long seed) {
        Random random = new Random(seed);
        for (int h = 0; h < hosts; h++) {
            admin.create(Kind.HOST, new Host("host-" + h, "host-" + h, null, null, 0), "bench");
        }
        for (int v = 0; v < vms; v++) {
            int app = random.nextInt(apps);
            String tier = List.of("web", "app", "db").get(random.nextInt(3));
            admin.create(Kind.VM, vm(v, "host-" + random.nextInt(hosts), app, tier), "bench");
        }
        for (int a = 0; a < apps; a++) {
            for (String tier : List.of("web", "app", "db")) {
                admin.create(Kind.GROUP, new Group("app-" + a + "-" + tier, "app " + a + " " + tier, null,
                        new Criterion.All(List.of(tag("app:" + a), tag("tier:" + tier))),
                        List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), 0), "bench");
            }
            admin.create(Kind.GROUP, new Group("app-" + a, "app " + a, null, null, List.of(), List.of(),
                    List.of("app-" + a + "-web", "app-" + a + "-app", "app-" + a + "-db"), List.of(), List.of(),
                    List.of(IpPrefix.parse("10.255." + (a % 256) + ".0/28")), 0), "bench");
        }
    }

    static Vm vm(int v, String host, int app, String tier) {
        return new Vm("vm-" + v, "vm-" + v, host, "linux", List.of("app:" + app, "tier:" + tier), List.of(
                new Vnic("vm-" + v + "-0", new MacAddress(0x0200_0000_0000L + 2L * v), List.of(
                        IpPrefix.host(io.ringfence.net.IpFamily.IPV4, 0, 0x0A00_0000L + 2L * v)), "seg-" + app),
                new Vnic("vm-" + v + "-1", new MacAddress(0x0200_0000_0001L + 2L * v), List.of(
                        IpPrefix.host(io.ringfence.net.IpFamily.IPV6, 0xfd00_0000_0000_0000L, v)), "mgmt")), 0);
    }

    private static Criterion tag(String value) {
        return new Criterion.Condition(Criterion.Attribute.TAG, Criterion.Operator.EQUALS, value);
    }
}
