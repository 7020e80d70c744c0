/**
 * The model manager's API: reading the model ({@link io.ringfence.manager.ModelService}) and
 * changing it ({@link io.ringfence.manager.ModelAdminService}), with the errors a change can meet.
 * Every change is validated against the whole model, committed durably in one transaction,
 * audited, and only then visible.
 */
@Version("0.2.0")
@Export
package io.ringfence.manager;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
