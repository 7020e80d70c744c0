/**
 * A sample partner virtual appliance: a standalone process that registers with the Ringfence
 * manager over its REST API, pulls its slice of policy (long poll), keeps the rule sets in memory,
 * decides packets against them (first match wins) and acknowledges the generations it enforces.
 * It needs nothing of Ringfence but the JSON wire protocol, described in the module's README.
 */
package io.ringfence.samples.appliance;
