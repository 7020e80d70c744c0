package io.ringfence.enforcement.appliance.internal.osgi;

import static io.ringfence.model.ModelFixtures.host;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.enforcement.appliance.ApplianceException;
import io.ringfence.enforcement.appliance.ApplianceRegistration;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Kind;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.spi.enforcement.TargetDescriptor.TargetKind;
import io.ringfence.store.InMemoryModelStore;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The DS component over a recording bundle context: each session is registered as an enforcement
 * target service, under the target's id, and unregistered when it ends or the component goes.
 */
class OSGiApplianceManagerTest {

    /** One service registration the component made, and whether it was withdrawn. */
    static final class Registered {
        final Object service;
        final Dictionary<?, ?> properties;
        boolean unregistered;

        Registered(Object service, Dictionary<?, ?> properties) {
            this.service = service;
            this.properties = properties;
        }
    }

    final List<Registered> registered = new ArrayList<>();
    final ModelManager models = new ModelManager(new InMemoryModelStore(), Clock.systemUTC());

    @Test
    void sessionsAreEnforcementTargetServicesForAsLongAsTheyLast() {
        models.create(Kind.HOST, host("h1"), "t");
        OSGiApplianceManager component = new OSGiApplianceManager(context(), models, config());
        try {
            component.register(new ApplianceRegistration("ips-1", "", List.of("h1"), true), "vendor");

            assertThat(registered).hasSize(1);
            EnforcementTarget target = (EnforcementTarget) registered.get(0).service;
            assertThat(target.descriptor().kind()).isEqualTo(TargetKind.VIRTUAL_APPLIANCE);
            assertThat(registered.get(0).properties.get("ringfence.target.id")).isEqualTo("appliance:ips-1");

            component.register(new ApplianceRegistration("ips-1", "", List.of("h1"), true), "vendor");
            assertThat(registered).extracting(r -> r.unregistered).containsExactly(true, false);

            assertThatThrownBy(() -> component.register(new ApplianceRegistration("ips-2", "", List.of("h9"), true), "vendor"))
                    .isInstanceOf(ApplianceException.class);
            assertThat(registered).hasSize(2);

            component.register(new ApplianceRegistration("ips-3", "", List.of("h1"), false), "vendor");
            assertThat(component.deregister("ips-3")).isTrue();
            assertThat(registered).extracting(r -> r.unregistered).containsExactly(true, false, true);
        } finally {
            component.deactivate();
        }
        assertThat(registered).allSatisfy(r -> assertThat(r.unregistered).isTrue());
        assertThat(component.appliances()).isEmpty();
    }

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("registerService")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    Registered r = new Registered(args[1], (Dictionary<?, ?>) args[2]);
                    registered.add(r);
                    return Proxy.newProxyInstance(ServiceRegistration.class.getClassLoader(),
                            new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                                if (!m.getName().equals("unregister")) {
                                    throw new UnsupportedOperationException(m.getName());
                                }
                                r.unregistered = true;
                                return null;
                            });
                });
    }

    private static OSGiApplianceManager.Configuration config() {
        return new OSGiApplianceManager.Configuration() {
            @Override
            public int leaseSeconds() {
                return 60;
            }

            @Override
            public int maxWaitSeconds() {
                return 30;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return OSGiApplianceManager.Configuration.class;
            }
        };
    }
}
