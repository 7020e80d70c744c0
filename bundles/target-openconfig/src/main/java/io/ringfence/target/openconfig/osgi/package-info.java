/** The OSGi wiring of the OpenConfig ACL target: a thin DS component, nothing else. */
package io.ringfence.target.openconfig.osgi;
