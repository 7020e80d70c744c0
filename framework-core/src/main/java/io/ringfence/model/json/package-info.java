/** The one JSON mapping of the model, shared by the REST API, the store and the audit log. */
@Version("0.1.0")
@Export
package io.ringfence.model.json;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
