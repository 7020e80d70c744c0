package io.ringfence.store.jdbc;

import io.ringfence.store.AuditPage;
import io.ringfence.store.AuditQuery;
import io.ringfence.store.ModelChange;
import io.ringfence.store.ModelStore;
import io.ringfence.store.StoredModel;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Registers the {@link JdbcModelStore} on the {@code ringfence} DataSource (made by pax-jdbc-config
 * from {@code etc/org.ops4j.datasource-ringfence.cfg}) after bringing its schema up to date.
 *
 * <p>The reference is static: a store switched to another database must not carry on with the
 * revision the manager loaded from the old one, so DS rather re-activates the component (and
 * re-registers the service) when the DataSource is replaced.
 */
@Component(service = ModelStore.class, configurationPid = OSGiJdbcModelStore.PID, immediate = true)
@Designate(ocd = OSGiJdbcModelStore.Config.class)
public final class OSGiJdbcModelStore implements ModelStore {

    static final String PID = "io.ringfence.store.jdbc";
    static final String DEFAULT_TARGET = "(dataSourceName=ringfence)";

    /** Configuration, PID {@value #PID}. */
    @ObjectClassDefinition(name = "Ringfence JDBC store", description = "Where the model and its audit log are kept.")
    public @interface Config {
        /** The standard DS target property of the "DataSource" reference. */
        @AttributeDefinition(name = "DataSource", description = "LDAP filter selecting the javax.sql.DataSource service")
        String DataSource_target() default DEFAULT_TARGET;
    }

    private final JdbcModelStore store;

    /**
     * Brings the schema up to date before the store can be used; a failed migration fails the
     * activation (SCR logs it) rather than leaving a store on a schema it does not know.
     */
    @Activate
    public OSGiJdbcModelStore(@Reference(name = "DataSource", target = DEFAULT_TARGET) DataSource dataSource) {
        new SchemaMigrator(dataSource).migrate();
        this.store = new JdbcModelStore(dataSource);
    }

    @Override
    public StoredModel load() {
        return store.load();
    }

    @Override
    public void commit(ModelChange change) {
        store.commit(change);
    }

    @Override
    public AuditPage audit(AuditQuery query) {
        return store.audit(query);
    }
}
