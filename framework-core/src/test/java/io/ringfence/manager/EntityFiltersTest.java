package io.ringfence.manager;

import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.icmp;
import static io.ringfence.model.ModelFixtures.policy;
import static io.ringfence.model.ModelFixtures.service;
import static io.ringfence.model.ModelFixtures.tcp;
import static io.ringfence.model.ModelFixtures.vm;
import static io.ringfence.model.ModelFixtures.vnic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Category;
import io.ringfence.model.Entity;
import io.ringfence.model.Group;
import io.ringfence.model.Host;
import io.ringfence.model.Kind;
import io.ringfence.model.Policy;
import io.ringfence.model.Service;
import io.ringfence.model.Vm;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntityFiltersTest {

    private static final Vm WEB = vm("web-01", "Web-01", "h1", "Ubuntu", List.of("app:web", "env:prod"),
            vnic("00:50:56:00:00:01", "front"), vnic("00:50:56:00:00:02", "mgmt"));
    private static final Vm BARE = vm("bare", null, "h2", null, List.of());

    private static boolean matches(Kind<?> kind, Entity e, String... keyValues) {
        Map<String, String> filters = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            filters.put(keyValues[i], keyValues[i + 1]);
        }
        return EntityFilters.matches(kind, e, filters);
    }

    @Test
    void acceptedNamesPerKind() {
        assertThat(EntityFilters.names(Kind.HOST)).containsExactly("name", "q");
        assertThat(EntityFilters.names(Kind.VM)).containsExactly("host", "name", "os", "q", "segment", "tag");
        assertThat(EntityFilters.names(Kind.GROUP)).containsExactly("member", "name", "q");
        assertThat(EntityFilters.names(Kind.SERVICE)).containsExactly("name", "protocol", "q");
        assertThat(EntityFilters.names(Kind.POLICY)).containsExactly("category", "name", "q");
    }

    @Test
    void noFiltersMatchEverything() {
        assertThat(EntityFilters.matches(Kind.VM, WEB, Map.of())).isTrue();
        assertThat(EntityFilters.matches(Kind.VM, BARE, Map.of())).isTrue();
    }

    @Test
    void nameIsExact() {
        assertThat(matches(Kind.VM, WEB, "name", "Web-01")).isTrue();
        assertThat(matches(Kind.VM, WEB, "name", "web-01")).isFalse();
        assertThat(matches(Kind.VM, WEB, "name", "Web")).isFalse();
        assertThat(matches(Kind.VM, BARE, "name", "bare")).isFalse();
    }

    @Test
    void qIsACaseInsensitiveSubstringOfTheName() {
        assertThat(matches(Kind.VM, WEB, "q", "web")).isTrue();
        assertThat(matches(Kind.VM, WEB, "q", "B-0")).isTrue();
        assertThat(matches(Kind.VM, WEB, "q", "")).isTrue();
        assertThat(matches(Kind.VM, WEB, "q", "db")).isFalse();
        assertThat(matches(Kind.VM, BARE, "q", "")).isFalse();
    }

    @Test
    void qDoesNotDependOnTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            Host infra = new Host("h", "INFRA-01", null, null, 0);
            assertThat(matches(Kind.HOST, infra, "q", "infra")).isTrue();
            assertThat(matches(Kind.HOST, new Host("h", "infra-01", null, null, 0), "q", "INFRA")).isTrue();
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void vmFilters() {
        assertThat(matches(Kind.VM, WEB, "tag", "app:web")).isTrue();
        assertThat(matches(Kind.VM, WEB, "tag", "app")).isFalse();
        assertThat(matches(Kind.VM, WEB, "host", "h1")).isTrue();
        assertThat(matches(Kind.VM, WEB, "host", "h2")).isFalse();
        assertThat(matches(Kind.VM, WEB, "os", "Ubuntu")).isTrue();
        assertThat(matches(Kind.VM, WEB, "os", "ubuntu")).isFalse();
        assertThat(matches(Kind.VM, BARE, "os", "Ubuntu")).isFalse();
        assertThat(matches(Kind.VM, WEB, "segment", "mgmt")).isTrue();
        assertThat(matches(Kind.VM, WEB, "segment", "back")).isFalse();
        assertThat(matches(Kind.VM, BARE, "segment", "front")).isFalse();
        // all filters must hold
        assertThat(matches(Kind.VM, WEB, "tag", "env:prod", "host", "h1", "segment", "front")).isTrue();
        assertThat(matches(Kind.VM, WEB, "tag", "env:prod", "host", "h2")).isFalse();
    }

    @Test
    void groupServiceAndPolicyFilters() {
        Group g = group("g").vms("web-01").excludedVms("bare").build();
        assertThat(matches(Kind.GROUP, g, "member", "web-01")).isTrue();
        assertThat(matches(Kind.GROUP, g, "member", "bare")).as("excluded is not a member").isFalse();

        Service s = service("s", tcp("443"), icmp(8, null));
        assertThat(matches(Kind.SERVICE, s, "protocol", "TCP")).isTrue();
        assertThat(matches(Kind.SERVICE, s, "protocol", "icmp")).isTrue();
        assertThat(matches(Kind.SERVICE, s, "protocol", "udp")).isFalse();

        Policy p = policy("p", Category.ENVIRONMENT, 0);
        assertThat(matches(Kind.POLICY, p, "category", "environment")).isTrue();
        assertThat(matches(Kind.POLICY, p, "category", "APPLICATION")).isFalse();
        assertThat(matches(Kind.POLICY, policy("n", null, 0), "category", "APPLICATION")).isFalse();
    }

    @Test
    void unknownFilterIsRefused() {
        assertThatThrownBy(() -> matches(Kind.HOST, host("h"), "tag", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown filter 'tag' for host")
                .hasMessageContaining("[name, q]");
        assertThatThrownBy(() -> matches(Kind.VM, WEB, "name", "Web-01", "colour", "red"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("colour");
    }

    // ---- paging through the manager

    private final ModelManager manager = new ModelManager(new InMemoryModelStore(),
            Clock.fixed(Instant.parse("2024-05-01T00:00:00Z"), ZoneOffset.UTC));

    private void hosts(int n) {
        for (int i = n; i >= 1; i--) {
            manager.create(Kind.HOST, new Host(String.format("h%02d", i), i % 2 == 0 ? "even " + i : "odd " + i,
                    null, null, 0), "t");
        }
    }

    private static List<String> ids(Page<? extends Entity> page) {
        return page.items().stream().map(Entity::id).toList();
    }

    @Test
    void listPagesInIdOrderWithTotals() {
        hosts(25);
        Page<Host> first = manager.list(Kind.HOST, new ListQuery(0, 10, null));
        assertThat(first.total()).isEqualTo(25);
        assertThat(first.offset()).isZero();
        assertThat(first.limit()).isEqualTo(10);
        assertThat(ids(first)).containsExactly("h01", "h02", "h03", "h04", "h05", "h06", "h07", "h08", "h09", "h10");

        Page<Host> last = manager.list(Kind.HOST, new ListQuery(20, 10, null));
        assertThat(last.total()).isEqualTo(25);
        assertThat(ids(last)).containsExactly("h21", "h22", "h23", "h24", "h25");

        Page<Host> beyond = manager.list(Kind.HOST, new ListQuery(100, 10, null));
        assertThat(beyond.total()).isEqualTo(25);
        assertThat(beyond.offset()).isEqualTo(100);
        assertThat(beyond.items()).isEmpty();

        assertThat(ids(manager.list(Kind.HOST, new ListQuery(24, ListQuery.MAX_LIMIT, null)))).containsExactly("h25");
        assertThat(manager.list(Kind.VM, new ListQuery(0, 10, null))).isEqualTo(new Page<>(0, 0, 10, List.of()));
    }

    @Test
    void listFiltersBeforePaging() {
        hosts(25);
        Page<Host> even = manager.list(Kind.HOST, new ListQuery(5, 3, Map.of("q", "EVEN")));
        assertThat(even.total()).isEqualTo(12);
        assertThat(ids(even)).containsExactly("h12", "h14", "h16");
        Page<Host> one = manager.list(Kind.HOST, new ListQuery(0, 10, Map.of("name", "odd 7")));
        assertThat(one.total()).isEqualTo(1);
        assertThat(ids(one)).containsExactly("h07");
        assertThat(manager.list(Kind.HOST, new ListQuery(0, 10, Map.of("name", "none"))).total()).isZero();
    }

    @Test
    void listRefusesUnknownFilters() {
        assertThatThrownBy(() -> manager.list(Kind.HOST, new ListQuery(0, 10, Map.of("tag", "x"))))
                .as("even when there is nothing to list")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown filter 'tag'");
        hosts(3);
        assertThatThrownBy(() -> manager.list(Kind.HOST, new ListQuery(0, 10, Map.of("tag", "x"))))
                .isInstanceOf(IllegalArgumentException.class);
        // also when an earlier filter already excludes everything
        assertThatThrownBy(() -> manager.list(Kind.HOST, new ListQuery(0, 10, Map.of("name", "none", "tag", "x"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listQueryBounds() {
        assertThatThrownBy(() -> new ListQuery(-1, 10, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ListQuery(0, 0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ListQuery(0, ListQuery.MAX_LIMIT + 1, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ListQuery(0, 1, null).filters()).isEmpty();
    }
}
