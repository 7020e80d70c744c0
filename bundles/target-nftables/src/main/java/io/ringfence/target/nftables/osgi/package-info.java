/** The OSGi wiring of the nftables target: a thin DS component, nothing else. */
package io.ringfence.target.nftables.osgi;
