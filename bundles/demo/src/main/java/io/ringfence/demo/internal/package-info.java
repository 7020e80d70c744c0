/** The demo data center loaded into an empty installation, so that a first start shows something real. */
package io.ringfence.demo.internal;
