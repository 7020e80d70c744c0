/**
 * The JDBC implementation of the model store (H2 or PostgreSQL): {@link io.ringfence.store.jdbc.JdbcModelStore},
 * the schema migrations it needs, and the DS component that registers it as the
 * {@link io.ringfence.store.ModelStore} service. Private to this bundle: others use the service.
 */
package io.ringfence.store.jdbc;
