/**
 * The contract between the model manager and the durable store that keeps the model and its
 * audit log. The manager owns validation and the JSON form; the store persists documents,
 * one transaction per change, behind a global revision that only grows.
 */
@Version("0.1.0")
@Export
package io.ringfence.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
