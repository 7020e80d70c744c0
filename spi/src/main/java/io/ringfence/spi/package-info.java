/**
 * The partner SPI: the contracts through which partner bundles plug inspection functions and
 * enforcement targets into Ringfence. Partner bundles import these packages and nothing else.
 *
 * <p>The SPI is semantically versioned; it stays below 1.0.0 until the first partner-facing
 * contracts (inspection services, enforcement targets) have settled.
 */
@Version("0.1.0")
@Export
package io.ringfence.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
